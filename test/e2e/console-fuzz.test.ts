/**
 * Console robustness: 10,000 lines of random bytes typed into the console over a real PTY never crash
 * or hang it, and the rest of the pole keeps working. fast-check generates the lines (fixed seed, so
 * a failure replays); afterwards the console must still answer and the LED board still respond.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEV_CONSOLE_PIN } from '../../simulator/pole-config.js';
import { ConsoleClient, PROMPT } from '../helpers/console-client.js';
import { startConsoleSim, type ConsoleSim } from '../helpers/console-sim.js';
import { until } from '../helpers/sim-process.js';

const LINES = 10_000;
const PER_WRITE = 40;

describe('console under random input (real PTY)', () => {
  let t: ConsoleSim;
  let c: ConsoleClient;

  beforeAll(async () => {
    t = await startConsoleSim({ lockoutBaseSec: 0.2, lockoutMaxSec: 0.5 });
    c = await ConsoleClient.open(t.sim.console.path);
    await until(() => t.sim.pole?.health.snapshot().led?.status === 'ok', 10_000, 'LED board ready');
    await c.login(DEV_CONSOLE_PIN);
  });

  afterAll(async () => {
    await c?.close();
    await t?.stop();
  });

  /** Waits until the console has said nothing new for `quietMs` (it has caught up with the input). */
  async function settle(quietMs = 25, maxMs = 5000): Promise<void> {
    const end = Date.now() + maxMs;
    let last = -1;
    while (Date.now() < end) {
      const n = c.all.length;
      if (n === last) return;
      last = n;
      await new Promise((r) => setTimeout(r, quietMs));
    }
  }

  /** Brings the console back to a tech prompt from wherever the noise left it. */
  async function recover(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      c.skip();
      await c.send('\x03\x15\r');
      await settle(100);
      const tail = c.all.slice(-200);
      if (PROMPT.test(tail) && /tech@/.test(tail.slice(tail.lastIndexOf('\n')))) return;
      if (/PIN: $/.test(tail)) {
        await new Promise((r) => setTimeout(r, 600)); // past any (shortened) lockout
        c.skip();
        await c.send(`${DEV_CONSOLE_PIN}\r`);
        await settle(200);
        if (/tech@[A-Z0-9-]+> $/.test(c.all.slice(-100))) return;
      }
      if (/guest@[A-Z0-9-]+> $/.test(tail)) { await c.send('logout\r'); await settle(100); }
    }
    throw new Error(`console did not come back to a tech prompt; last output:\n${JSON.stringify(c.all.slice(-1000))}`);
  }

  it(`survives ${LINES.toLocaleString('en')} random byte lines, then still answers and the pole still works`, async () => {
    const lines = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 48 }), { numRuns: LINES, seed: 0x5ec8 });
    const sentBefore = t.sim.pole!.services.console.service!.terminal.decoder.stats.keys;
    for (let i = 0; i < lines.length; i += PER_WRITE) {
      const chunk = Buffer.concat(lines.slice(i, i + PER_WRITE).flatMap((l) => [Buffer.from(l), Buffer.from('\r')]));
      await c.send(chunk);
      await settle();
    }
    const term = t.sim.pole!.services.console.service!.terminal;
    expect(term.decoder.stats.keys - sentBefore).toBeGreaterThan(LINES);
    expect(term.decoder.stats.malformed + term.decoder.stats.ignoredSequences).toBeGreaterThan(0);
    await recover();
    const status = await c.json<{ ok: boolean; result: { devices: Record<string, { status: string }> } }>('status');
    expect(status.ok).toBe(true);
    expect(status.result.devices.led!.status).toBe('ok');
    // The LED board still answers a round trip, MQTT is still up: the rest of the pole kept working.
    const st = await c.json<{ result: { checks: { name: string; result: string }[] } }>('selftest');
    expect(st.result.checks.find((x) => x.name === 'led')!.result).toBe('PASS');
    expect(st.result.checks.find((x) => x.name === 'mqtt')!.result).toBe('PASS');
    expect(process.memoryUsage().rss).toBeLessThan(1024 * 1024 * 1024);
  }, 240_000);
});
