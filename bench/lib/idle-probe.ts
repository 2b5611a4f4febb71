/**
 * The machine's scheduling jitter while a bench runs: a separate, idle Node process measures its
 * own event-loop delay (monitorEventLoopDelay, 1 ms resolution). Whatever it sees, the process
 * under test sees too, on top of its own work: on a shared VM this separates load from design.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface IdleDelay { p50: number; p99: number; max: number; load1: number }

export class IdleProbe {
  private readonly child: ChildProcess;
  private constructor() {
    this.child = fork(fileURLToPath(import.meta.url), ['--idle-probe'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  }

  static start(): IdleProbe {
    return new IdleProbe();
  }

  /** The delay seen since start (or the previous read), and the 1-minute load average now. */
  read(): Promise<IdleDelay> {
    return new Promise((res) => {
      this.child.once('message', (m) => res({ ...(m as Omit<IdleDelay, 'load1'>), load1: loadavg()[0]! }));
      this.child.send('read');
    });
  }

  stop(): void {
    this.child.kill();
  }
}

if (process.argv[2] === '--idle-probe') {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  process.on('message', () => {
    process.send?.({ p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 });
    h.reset();
  });
  process.on('disconnect', () => process.exit(0));
}
