/** The machine a bench ran on, printed with every result (figures mean nothing without it). */
import { cpus, totalmem, release, platform } from 'node:os';

export function machine(): Record<string, string | number> {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

export function printMachine(): void {
  const m = machine();
  console.log(`machine: ${m.cpu} × ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}, ${m.os}`);
}
