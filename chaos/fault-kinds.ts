/**
 * The fault catalogue (docs/chaos.md §Faults): everything the simulator's HTTP API can make a
 * device do wrong (docs/simulator.md), plus what the harness does to the pole from outside —
 * broker outage, kill -9 of the runtime, wall-clock jumps, a nearly full disk. Each kind says
 * which device it hits, how long it may last, how it starts and how it ends; the injector
 * (faults.ts) carries the actions out.
 */

/** One step: a sim fault (`POST /api/faults`) or a harness action on the pole. */
export type FaultStep =
  | { sim: string; fault: string; args?: Record<string, unknown> }
  | { harness: 'broker-stop' | 'broker-start' | 'runtime-kill9' | 'clock-offset' | 'disk-fill' | 'disk-free'; args?: Record<string, unknown> };

export interface FaultKind {
  kind: string;
  /** What it hits: a sim device, or `broker`, `runtime`, `clock`, `disk`. */
  device: string;
  weight: number;
  /** Duration range; maxMs 0 = a single event (reset, noise burst). */
  minMs: number;
  maxMs: number;
  /** Extra time the device gets to recover after the end before the next fault on it. */
  recoverMs?: number;
  args: (rnd: () => number) => Record<string, unknown>;
  start: (args: Record<string, unknown>) => FaultStep[];
  end: (args: Record<string, unknown>) => FaultStep[];
}

const none = () => ({});
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const sim = (device: string, fault: string, args?: Record<string, unknown>): FaultStep => ({ sim: device, fault, args });

/** unplug → replug of a serial device (its USB cable). */
function cable(device: string, weight: number, maxMs = 20_000): FaultKind {
  return { kind: `${device}.unplug`, device, weight, minMs: 1_000, maxMs, args: none, start: () => [sim(device, 'unplug')], end: () => [sim(device, 'replug')] };
}

/** One event: the step runs at start, nothing at the end. */
function event(kind: string, device: string, weight: number, fault: string, args: (rnd: () => number) => Record<string, unknown> = none): FaultKind {
  return { kind, device, weight, minMs: 0, maxMs: 0, args, start: (a) => [sim(device, fault, a)], end: () => [] };
}

/** A fault held for a while, then undone by `endFault` (with `endArgs`). */
function held(kind: string, device: string, weight: number, fault: string, endFault: string, minMs: number, maxMs: number,
  args: (rnd: () => number) => Record<string, unknown> = none, endArgs: Record<string, unknown> = {}): FaultKind {
  return { kind, device, weight, minMs, maxMs, args, start: (a) => [sim(device, fault, a)], end: () => [sim(device, endFault, endArgs)] };
}

const UNITS = ['ev', 'meter', 'pads', 'lamp'] as const;

export const FAULT_KINDS: readonly FaultKind[] = [
  // LED board (docs/simulator.md §LED board faults)
  cable('led', 3),
  event('led.reset', 'led', 3, 'reset'),
  event('led.stall', 'led', 2, 'stall', (r) => ({ ms: 500 + Math.round(r() * 4000) })),
  event('led.garbage', 'led', 2, 'garbage', (r) => ({ bytes: 16 + Math.round(r() * 240) })),
  held('led.corrupt', 'led', 2, 'corrupt', 'corrupt', 3_000, 20_000, (r) => ({ rate: +(0.001 + r() * 0.02).toFixed(4), direction: pick(r, ['both', 'rx', 'tx']) }), { rate: 0 }),
  held('led.drop', 'led', 1, 'drop', 'drop', 3_000, 20_000, (r) => ({ rate: +(0.02 + r() * 0.2).toFixed(3) }), { rate: 0 }),
  held('led.hot', 'led', 1, 'temperature', 'temperature', 5_000, 30_000, (r) => ({ c: 76 + Math.round(r() * 10) }), { c: null }),
  held('led.lux', 'led', 1, 'lux', 'lux', 5_000, 30_000, (r) => ({ lux: pick(r, [0, 5, 20_000, 80_000]) }), { lux: null }),
  // Touch controller (eGalax)
  cable('touch', 2),
  event('touch.garbage', 'touch', 2, 'garbage', (r) => ({ bytes: 8 + Math.round(r() * 120) })),
  // Field bus and its units
  cable('fieldbus', 2),
  event('fieldbus.garbage', 'fieldbus', 2, 'garbage', (r) => ({ bytes: 8 + Math.round(r() * 120) })),
  ...UNITS.flatMap((u) => [
    held(`${u}.silent`, u, 1, 'silent', 'silent', 2_000, 15_000, () => ({ on: true }), { on: false }),
    event(`${u}.crc`, u, 1, 'crc', (r) => ({ count: 1 + Math.round(r() * 5) })),
    event(`${u}.exception`, u, 1, 'exception', (r) => ({ code: pick(r, [4, 6]), count: 1 + Math.round(r() * 3) })),
  ]),
  // Technician console cable
  cable('console', 1),
  // Onbon notice sign (docs/simulator.md §Onbon sign)
  cable('sign', 1),
  event('sign.reset', 'sign', 1, 'reset'),
  event('sign.silent', 'sign', 1, 'silent', (r) => ({ ms: 1_000 + Math.round(r() * 5_000) })),
  held('sign.corrupt', 'sign', 1, 'corrupt', 'clear', 3_000, 15_000, (r) => ({ rate: +(0.0005 + r() * 0.003).toFixed(4) })),
  held('sign.corrupt-frames', 'sign', 1, 'corrupt-frames', 'clear', 3_000, 15_000, (r) => ({ rate: +(0.01 + r() * 0.1).toFixed(3) })),
  event('sign.nack', 'sign', 1, 'nack', (r) => ({ error: pick(r, [3, 5]), count: 1 + Math.round(r() * 2) })),
  // 5G modem (docs/simulator.md §The 5G modem)
  held('modem.no-sim', 'modem', 2, 'no-sim', 'insert-sim', 3_000, 25_000),
  held('modem.network-drop', 'modem', 3, 'network-drop', 'network-restore', 3_000, 30_000),
  held('modem.signal-loss', 'modem', 1, 'signal-loss', 'clear', 3_000, 20_000),
  held('modem.data-failure', 'modem', 1, 'data-failure', 'clear', 3_000, 20_000, (r) => ({ mode: pick(r, ['activate', 'stall']) })),
  held('modem.power-off', 'modem', 2, 'power-off', 'power-on', 2_000, 20_000),
  cable('modem', 1),
  // A hang ends only by a power cycle: the runtime's own recovery has to do it.
  { kind: 'modem.hang', device: 'modem', weight: 2, minMs: 0, maxMs: 0, recoverMs: 30_000, args: none, start: () => [sim('modem', 'hang')], end: () => [] },
  event('modem.reboot', 'modem', 1, 'reboot'),
  event('modem.garbage', 'modem', 1, 'garbage', (r) => ({ bytes: 16 + Math.round(r() * 100) })),
  // Outside the hardware
  { kind: 'broker.outage', device: 'broker', weight: 3, minMs: 2_000, maxMs: 30_000, args: none, start: () => [{ harness: 'broker-stop' }], end: () => [{ harness: 'broker-start' }] },
  { kind: 'runtime.kill9', device: 'runtime', weight: 1, minMs: 0, maxMs: 0, recoverMs: 15_000, args: none, start: () => [{ harness: 'runtime-kill9' }], end: () => [] },
  {
    kind: 'clock.jump', device: 'clock', weight: 2, minMs: 5_000, maxMs: 40_000,
    // Forward or back by 2–20 minutes (beyond the clock watch's 60 s threshold), then back to true time.
    args: (r) => ({ offsetSec: (r() < 0.5 ? -1 : 1) * (120 + Math.round(r() * 1080)) }),
    start: (a) => [{ harness: 'clock-offset', args: { offsetSec: a.offsetSec } }], end: () => [{ harness: 'clock-offset', args: { offsetSec: 0 } }],
  },
  {
    kind: 'disk.fill', device: 'disk', weight: 2, minMs: 5_000, maxMs: 40_000,
    args: (r) => ({ leaveKiB: pick(r, [256, 1024, 4096, 12_288]) }),
    start: (a) => [{ harness: 'disk-fill', args: a }], end: () => [{ harness: 'disk-free' }],
  },
];

/** The health registry's entry a device's recovery is judged by (the pole's birth, docs/mqtt-api.md §State). */
export const HEALTH_KEY: Record<string, string | null> = {
  led: 'led', touch: 'touch', modem: 'modem', broker: 'mqtt', fieldbus: 'fieldbus', ev: 'fieldbus', meter: 'fieldbus', pads: 'pads', lamp: 'lamp',
  sign: 'sign', console: 'console', runtime: 'led', clock: null, disk: 'storage',
};
