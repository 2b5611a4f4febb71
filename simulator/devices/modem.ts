/**
 * The simulated Quectel RM500Q on the device end of a serial pair (docs/simulator.md §Modem).
 * It boots with the real URC sequence (RDY, +CPIN: READY, +QUSIM: 1, +QIND: SMS DONE / PB DONE),
 * answers the AT command set with drifting radio values, registers on a simulated network, runs a
 * data context that gates the pole's MQTT traffic (NetworkGate), and takes the faults of
 * docs/simulator.md §The 5G modem.
 *
 * Latencies are realistic values multiplied by `timeScale` (0 = answer at once, for measuring the
 * channel). Power follows a GPIO-like file: `0` powers the modem off (its port disappears), `1`
 * on — the runtime's power-cycle hook writes it, as a real pole's hook writes a sysfs GPIO.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { SerialPair } from '../serial/serial-pair.js';
/** What carries the pole's traffic while the data path is up: the TCP relay, or a veth link in a namespace. */
export interface DataPathGate {
  setUp(up: boolean): void;
  /** The host's lease on the interface, when the gate is a real interface. */
  lease?(): string | null;
}
import { RadioModel, type Rat } from './modem-radio.js';
import { interpret, type AtHost, type AtOutcome } from './modem-at.js';
import { afterBoot, SimModemPower, type NetworkCondition } from './modem-sim-state.js';
import { SimModemWire } from './modem-wire.js';

/** Real-module timings (ms) before `timeScale`. */
export const REALISTIC_MS = {
  /** OK of AT+CFUN=1,1 → USB ports gone. */
  resetGone: 300,
  /** Ports gone → enumerated again. */
  portBack: 4000,
  /** Enumerated → RDY. */
  rdy: 2500,
  /** RDY → SIM ready. */
  simReady: 800,
  /** SIM ready (or network back) → registered. */
  register: 3000,
};

export interface SimModemOptions {
  pair: SerialPair;
  logger: Logger;
  network?: DataPathGate | null;
  /** Multiplies every realistic latency. Default 0.1 (ten times faster than a real module). */
  timeScale?: number;
  /** GPIO-like power file (`1` on, `0` off), watched every 50 ms. */
  powerFile?: string;
  pin?: string;
  puk?: string;
  seed?: number;
}

export class SimModem extends SimModemWire implements AtHost {
  readonly radio: RadioModel;
  private garbageTimer: NodeJS.Timeout | null = null;
  private powerWatch: NodeJS.Timeout | null = null;
  private powerValue = '1';
  private lastStat = { '5gs': 0, eps: 0, cs: 0 };

  constructor(private readonly o: SimModemOptions) {
    super(o);
    this.radio = new RadioModel(o.seed);
  }

  protected interpretCommand(command: string): AtOutcome {
    return interpret(this, command);
  }

  protected onPortOpen(): void {
    if (this.s.power === SimModemPower.Booting) this.later(REALISTIC_MS.rdy, () => this.boot());
  }

  start(): void {
    if (this.o.powerFile) {
      writeFileSync(this.o.powerFile, '1\n');
      this.powerWatch = setInterval(() => this.watchPower(), 50);
      this.powerWatch.unref?.();
    }
    this.serial.start();
    this.powerOn();
  }

  async stop(): Promise<void> {
    this.clearTimers();
    if (this.garbageTimer) clearInterval(this.garbageTimer);
    if (this.powerWatch) clearInterval(this.powerWatch);
    this.o.network?.setUp(false);
    await this.serial.stop();
  }

  // ── power ──────────────────────────────────────────────────────────────────────────────────

  powerOn(): void {
    if (this.s.power !== SimModemPower.Off) return;
    this.setPower(SimModemPower.Booting);
    if (!this.o.pair.plugged) this.later(REALISTIC_MS.portBack, () => this.replugPort());
    else if (this.serial.isOpen) this.later(REALISTIC_MS.rdy, () => this.boot());
  }

  powerOff(): void {
    if (this.s.power === SimModemPower.Off) return;
    this.clearTimers();
    this.setPower(SimModemPower.Off);
    this.s.ctx.active = false;
    this.updateGate();
    void this.o.pair.unplug();
  }

  /** A reboot with port disappearance (AT+CFUN=1,1, or the `reboot` fault). */
  reboot(reason: string): void {
    this.stats.reboots++;
    this.log.info({ reason }, 'rebooting');
    this.clearTimers();
    this.setPower(SimModemPower.Booting);
    this.s.ctx.active = false;
    this.updateGate();
    this.later(REALISTIC_MS.resetGone, () => {
      void this.o.pair.unplug().then(() => this.later(REALISTIC_MS.portBack, () => this.replugPort()));
    });
  }

  /** The port comes back on its own (boot, reboot): a socat that cannot start is logged, never thrown at nobody. */
  private replugPort(): void {
    this.o.pair.replug().catch((e: Error) => this.log.error({ err: e.message }, 'modem port did not come back'));
  }

  powerDown(): void {
    this.urc('POWERED DOWN');
    this.powerOff();
  }

  private watchPower(): void {
    let v: string;
    try {
      v = existsSync(this.o.powerFile!) ? readFileSync(this.o.powerFile!, 'utf8').trim() : '1';
    } catch {
      return;
    }
    if (v === this.powerValue || (v !== '0' && v !== '1')) return;
    this.powerValue = v;
    this.log.info({ value: v }, 'power rail switched');
    if (v === '0') this.powerOff();
    else { this.stats.powerCycles++; this.powerOn(); }
  }

  private boot(): void {
    afterBoot(this.s);
    this.resetWire();
    this.lastStat = { '5gs': 0, eps: 0, cs: 0 };
    this.s.sim.readyAt = this.s.now() + REALISTIC_MS.simReady * this.scale;
    this.setPower(SimModemPower.On);
    this.urc('RDY');
    this.later(REALISTIC_MS.simReady, () => this.simUp());
  }

  private simUp(): void {
    const sim = this.s.sim;
    if (!sim.inserted) return;
    sim.readyAt = Math.min(sim.readyAt, this.s.now()); // timers may fire a hair early
    this.urc(sim.lock === 'puk' ? '+CPIN: SIM PUK' : sim.lock === 'pin' && !sim.unlocked ? '+CPIN: SIM PIN' : '+CPIN: READY');
    this.urc('+QUSIM: 1');
    this.urc('+QIND: SMS DONE');
    this.urc('+QIND: PB DONE');
    this.startCamping();
  }

  // ── network ────────────────────────────────────────────────────────────────────────────────

  simReady(): boolean {
    const sim = this.s.sim;
    return sim.inserted && sim.lock !== 'puk' && (sim.lock === 'none' || sim.unlocked) && this.s.now() >= sim.readyAt;
  }

  private primary(): '5gs' | 'eps' {
    return this.radio.rat === 'NR5G-SA' ? '5gs' : 'eps';
  }

  regStat(domain: '5gs' | 'eps' | 'cs'): number {
    if (this.s.power !== SimModemPower.On || this.s.cfun !== 1 || !this.simReady()) return 0;
    if (domain !== this.primary() && !(domain === 'cs' && this.radio.rat !== 'NR5G-SA')) return 0;
    const c = this.s.network.condition;
    if (this.radio.noSignal || c === 'no-signal' || c === 'dropped') return 2;
    if (c === 'denied') return 3;
    return this.s.network.camped ? 1 : 2;
  }

  registered(): boolean {
    const st = this.regStat(this.primary());
    return st === 1 || st === 5;
  }

  private startCamping(): void {
    if (!this.simReady() || this.s.cfun !== 1) return;
    this.updateNetwork();
    this.later(REALISTIC_MS.register, () => { this.s.network.camped = true; this.updateNetwork(); });
  }

  /** Sends registration URCs for what changed, drops the data context when deregistered. */
  private updateNetwork(): void {
    for (const [d, prefix] of [['5gs', '+C5GREG'], ['eps', '+CEREG'], ['cs', '+CREG']] as const) {
      const st = this.regStat(d);
      if (st === this.lastStat[d]) continue;
      this.lastStat[d] = st;
      const n = this.s.regN[d];
      if (n === 0) continue;
      const loc = this.radio.location(d);
      this.urc(n >= 2 && (st === 1 || st === 5) ? `${prefix}: ${st},"${loc.tac}","${loc.ci}",${d === '5gs' ? 11 : 7}` : `${prefix}: ${st}`);
    }
    if (!this.registered() && this.s.ctx.active) {
      this.s.ctx.active = false;
      this.urc(this.s.ctx.netdev ? `+QNETDEVSTATUS: ${this.s.ctx.cid},0` : `+QIURC: "pdpdeact",${this.s.ctx.cid}`);
    }
    this.updateGate();
  }

  reselect(): void {
    if (this.s.network.camped && this.s.network.condition === 'ok') return;
    this.s.network.camped = false;
    this.startCamping();
  }

  setRadio(on: boolean): void {
    this.s.cfun = on ? 1 : 4;
    this.s.network.camped = false;
    if (on) this.startCamping();
    else this.updateNetwork();
  }

  canActivate(): boolean {
    return this.registered() && this.s.faults.data !== 'activate';
  }

  activate(): void {
    if (!this.canActivate()) return;
    this.s.ctx.active = true;
    this.s.ctx.ip = `10.64.${Math.floor(this.rnd() * 250) + 1}.${Math.floor(this.rnd() * 250) + 1}`;
    this.updateGate();
  }

  activateLater(): void {
    this.later(1000, () => {
      if (!this.canActivate() || !this.s.ctx.netdev) return;
      this.activate();
      this.urc(`+QNETDEVSTATUS: ${this.s.ctx.cid},1`);
    });
  }

  hostLease(): string | null {
    return this.o.network?.lease?.() ?? null;
  }

  deactivate(): void {
    this.s.ctx.active = false;
    // A stale context is what a re-attach cures, unless the fault says it persists.
    if (this.s.faults.data === 'stall' && !this.s.faults.dataPersist) this.s.faults.data = 'none';
    this.updateGate();
  }

  dataPathUp(): boolean {
    return this.s.power === SimModemPower.On && !this.s.faults.hang && this.registered() && this.s.ctx.active && this.s.faults.data !== 'stall';
  }

  ping(host: string, timeoutSec: number, count: number): void {
    const ip = /^[\d.]+$/.test(host) ? host : '10.0.0.1';
    if (!this.dataPathUp()) {
      this.later(timeoutSec * 1000, () => this.urc('+QPING: 569'));
      return;
    }
    const rtts = Array.from({ length: count }, () => this.radio.pingRtt());
    rtts.forEach((rtt, i) => this.later(rtt * (i + 1), () => this.urc(`+QPING: 0,"${ip}",32,${rtt},255`)));
    this.later(rtts.reduce((a, b) => a + b, 0) + 10, () => {
      const avg = Math.round(rtts.reduce((a, b) => a + b, 0) / count);
      this.urc(`+QPING: 0,${count},${count},0,${Math.min(...rtts)},${Math.max(...rtts)},${avg}`);
    });
  }

  simChanged(): void {
    const sim = this.s.sim;
    if (sim.lock === 'puk') { this.urc('+CPIN: SIM PUK'); return; }
    if (this.simReady()) {
      this.urc('+CPIN: READY');
      this.startCamping();
    }
  }

  private updateGate(): void {
    this.o.network?.setUp(this.dataPathUp());
  }

  // ── faults (simulator API) ─────────────────────────────────────────────────────────────────

  hang(): void {
    this.s.faults.hang = true;
    this.resetWire();
    this.updateGate();
  }

  slow(ms: number): void {
    this.s.faults.slowMs = ms;
  }

  /** One burst of noise now; with `everyMs`, a burst at that period until cleared. */
  garbage(bytes: number, everyMs = 0): void {
    this.burst(bytes);
    if (this.garbageTimer) clearInterval(this.garbageTimer);
    this.garbageTimer = null;
    this.s.faults.garbageEveryMs = everyMs;
    if (everyMs > 0) {
      this.garbageTimer = setInterval(() => this.burst(bytes), everyMs);
      this.garbageTimer.unref?.();
    }
  }

  removeSim(): void {
    this.s.sim.inserted = false;
    this.s.network.camped = false;
    this.urc('+CPIN: NOT READY');
    this.updateNetwork();
  }

  insertSim(): void {
    if (this.s.sim.inserted) return;
    this.s.sim.inserted = true;
    this.s.sim.unlocked = false;
    this.s.sim.readyAt = this.s.now() + REALISTIC_MS.simReady * this.scale;
    this.later(REALISTIC_MS.simReady, () => this.simUp());
  }

  /** The SIM (as after a swap) asks for `pin`, with `attempts` tries left. */
  requirePin(pin: string, attempts = 3): void {
    Object.assign(this.s.sim, { lock: 'pin', pin, unlocked: false, pinAttempts: attempts });
    this.s.network.camped = false;
    this.urc('+CPIN: SIM PIN');
    this.updateNetwork();
  }

  requirePuk(): void {
    this.s.sim.lock = 'puk';
    this.s.network.camped = false;
    this.urc('+CPIN: SIM PUK');
    this.updateNetwork();
  }

  setNetwork(condition: NetworkCondition, rejectCause = 15): void {
    const n = this.s.network;
    n.condition = condition;
    n.rejectCause = rejectCause;
    this.radio.noSignal = condition === 'no-signal';
    if (condition === 'ok') {
      this.updateNetwork();
      if (!n.camped) this.startCamping();
      return;
    }
    n.camped = false;
    this.updateNetwork();
  }

  dataFailure(mode: 'activate' | 'stall', persist: boolean): void {
    this.s.faults.data = mode;
    this.s.faults.dataPersist = persist;
    if (mode === 'activate' && this.s.ctx.active) {
      this.s.ctx.active = false;
      this.urc(this.s.ctx.netdev ? `+QNETDEVSTATUS: ${this.s.ctx.cid},0` : `+QIURC: "pdpdeact",${this.s.ctx.cid}`);
    }
    this.updateGate();
  }

  setRat(rat: Rat): void {
    this.radio.rat = rat;
    this.lastStat = { '5gs': -1, eps: -1, cs: -1 };
    this.updateNetwork();
  }

  /** Prints any unsolicited line (debugging, tests: e.g. a stray RDY without a port change). */
  sendUrc(line: string): void {
    this.urc(line);
  }

  /** Takes every fault away: the modem as on a good day (a hung modem still needs a power cycle). */
  clear(): void {
    const f = this.s.faults;
    Object.assign(f, { slowMs: 0, data: 'none', dataPersist: false });
    this.garbage(0, 0);
    Object.assign(this.s.sim, { lock: 'none', unlocked: false });
    if (!this.s.sim.inserted) this.insertSim();
    this.setNetwork('ok');
    this.updateGate();
  }

  snapshot(): Record<string, unknown> {
    const s = this.s;
    return {
      power: s.power, model: s.model, echo: s.echo, cfun: s.cfun,
      sim: { inserted: s.sim.inserted, lock: s.sim.lock, unlocked: s.sim.unlocked, pinAttempts: s.sim.pinAttempts },
      network: s.network.condition, registered: this.registered(), registration: this.regStat(this.primary()),
      context: { active: s.ctx.active, ip: s.ctx.ip, apn: s.ctx.apn, call: s.ctx.netdev ? 'qnetdevctl' : 'qiact' }, usbnet: s.usbnet, hostLease: this.hostLease(), dataPath: this.dataPathUp(),
      radio: this.radio.snapshot(), faults: { ...s.faults }, timeScale: this.scale, ...this.stats,
    };
  }
}
