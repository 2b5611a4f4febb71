/**
 * Preloaded into `smartpole run` by the chaos harness (`node --import dist/chaos/loop-probe.js`):
 * every 5 s appends the process's RSS, JS heap in use, external memory and event-loop delay (p99, max,
 * since the last sample) to
 * `$CHAOS_PROBE_FILE` as one JSON line. It reads, never changes, the runtime.
 */
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.CHAOS_PROBE_FILE;
if (file) {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const t = setInterval(() => {
    const m = process.memoryUsage();
    const mib = (b: number) => +(b / 1048576).toFixed(1);
    // RSS, and what it is made of: the JS heap in use, and memory outside it (Buffers, native addons' own allocations are in neither).
    const line = { at: Date.now(), pid: process.pid, rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), externalMiB: mib(m.external), lagP99Ms: +(h.percentile(99) / 1e6).toFixed(1), lagMaxMs: +(h.max / 1e6).toFixed(1) };
    h.reset();
    try { appendFileSync(file, JSON.stringify(line) + '\n'); } catch { /* the harness reads what it can */ }
  }, 5_000);
  t.unref();
}
