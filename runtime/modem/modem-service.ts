/**
 * ModemService: keeps the pole online. It owns the modem's serial port, AT channel and
 * state machine; polls signal and serving cell (every 3 s until values are valid, then every
 * 30 s); checks the data context and, when the uplink stays down while the modem says online,
 * pings through it; climbs the recovery ladder with backoff when a problem shows; and tells ops
 * (Reporter events and telemetry), the birth (HealthRegistry) and technicians (statusLine) why
 * the pole is or is not online. It never blocks anything else: every wait is a timer.
 */
import { EventEmitter } from 'node:events';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { AtChannel } from '../../device/modem/at-channel.js';
import { ModemMachine, type StateChange } from '../../device/modem/modem-machine.js';
import { ModemState, RADIO_STATES } from '../../device/modem/modem-state.js';
import { QUECTEL_RM5XX, type DataSettings, type ModemProfile } from '../../device/modem/quectel-profile.js';
import { commandTimeout, scaleTiming, type ModemTiming } from '../../device/modem/timing.js';
import { hasSignal } from '../../device/modem/modem-info.js';
import { modemError } from '../../device/modem/errors.js';
import { readHostLink } from '../../device/net/host-link.js';
import { isIpv4, UsbNetMode } from '../../protocols/at/usbnet.js';
import type { Config } from '../config/schema.js';
import type { Reporter } from '../uplink/reporter.js';
import type { KvStore } from '../storage/kv.js';
import type { Health } from '../health.js';
import { RecoveryLadder, type PlannedStep, type RecoveryStep } from './recovery.js';
import { detectProblem, type Detected } from './problem.js';
import { runPowerHook } from './power-hook.js';
import { checkModemCoexistence } from './coexistence-check.js';
import { formatDuration, modemHealth, modemTelemetry, statusLine, type ModemSnapshot } from './modem-report.js';

export type ModemConfig = NonNullable<Config['devices']['modem']>;

export interface ModemServiceOptions {
  config: Readonly<ModemConfig>;
  logger: Logger;
  reporter: Reporter;
  kv: KvStore;
  poleId: string;
  /** Whether the pole's uplink (MQTT) is connected: a long outage while "online" triggers the data-path ping. */
  uplinkConnected: () => boolean;
  /**
   * Host to ping through the modem when the data path is suspect (default: the broker's host). On
   * the host data path, when it is an IPv4 address its route must leave by the modem's interface.
   */
  probeHost: string;
  binding?: BindingInterface;
  profile?: ModemProfile;
  now?: () => number;
}

const ALARM_STATES = new Set([ModemState.Hung, ModemState.Absent, ModemState.SimMissing, ModemState.SimPin, ModemState.SimPuk, ModemState.SimFailure, ModemState.Denied]);
const CONTEXT_TYPE = { IP: 1, IPV6: 2, IPV4V6: 3 } as const;
const AUTH = { none: 0, pap: 1, chap: 2, 'pap-or-chap': 3 } as const;
const USBNET = { ecm: UsbNetMode.Ecm, mbim: UsbNetMode.Mbim, rndis: UsbNetMode.Rndis } as const;
const STEPS: readonly RecoveryStep[] = ['requery', 'reattach', 'reset', 'power-cycle'];

/** The modem's status poll (AT+CSQ and friends): one at a time, none after stop(). */
export enum PollState { Idle = 'idle', Polling = 'polling', Stopped = 'stopped' }

export class ModemService extends EventEmitter<{ online: []; offline: [reason: string]; state: [StateChange]; step: [PlannedStep & { by: string }] }> {
  readonly serial: SerialLink;
  readonly channel: AtChannel;
  readonly machine: ModemMachine;
  readonly ladder: RecoveryLadder;
  readonly timing: ModemTiming;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly timers = { poll: null as NodeJS.Timeout | null, tick: null as NodeJS.Timeout | null, telemetry: null as NodeJS.Timeout | null, step: null as NodeJS.Timeout | null };
  private next: { plan: PlannedStep; at: number; why: Detected } | null = null;
  private running: RecoveryStep | null = null;
  private lastStepAt = 0;
  private problem: Detected | null = null;
  private fastPolls = 0;
  private lastDataCheck = 0;
  private lastPingAt = 0;
  private lastPingOkAt = 0;
  private uplinkDownSince: number | null = null;
  private onlineSince: number | null = null;
  private temperatureC: number | null = null;
  /** The poll loop: one poll at a time, none after stop(). */
  private pollState = PollState.Idle;

  constructor(private readonly o: ModemServiceOptions) {
    super();
    const c = o.config;
    this.now = o.now ?? Date.now;
    this.log = o.logger.child({ service: 'modem' });
    const { scale, floorMs, commandTimeoutsMs, ...overrides } = c.timing;
    this.timing = scaleTiming({ scale, floorMs, commandTimeoutsMs, overrides: Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
    this.serial = new SerialLink({
      path: c.path, baudRate: c.baudRate, name: 'modem', logger: o.logger, binding: o.binding,
      backoff: { initialMs: Math.max(50, 500 * scale), maxMs: Math.max(200, 5_000 * scale) },
    });
    this.channel = new AtChannel({
      port: this.serial, logger: o.logger, timeoutFor: (cmd) => commandTimeout(this.timing.commandTimeoutsMs, cmd),
      settleMs: this.timing.settleMs, maxSettleMs: Math.max(this.timing.settleMs * 10, 100),
    });
    const data: DataSettings = { cid: c.contextId, apn: c.apn, contextType: CONTEXT_TYPE[c.pdpType], user: c.apnUser, password: c.apnPassword, auth: AUTH[c.apnAuth] };
    this.machine = new ModemMachine({
      port: this.serial, channel: this.channel, profile: o.profile ?? QUECTEL_RM5XX, timing: this.timing, data, simPin: c.simPin,
      maxConsecutiveTimeouts: c.maxConsecutiveTimeouts, logger: o.logger, now: this.now,
      host: c.host ? { interface: c.host.interface, usbnet: USBNET[c.host.usbnet], read: () => readHostLink({ interface: c.host!.interface, brokerIp: isIpv4(o.probeHost) ? o.probeHost : null, now: this.now }) } : undefined,
    });
    this.ladder = new RecoveryLadder({ resetsBeforePowerCycle: c.resetsBeforePowerCycle, initialMs: this.timing.recoveryInitialMs, maxMs: this.timing.recoveryMaxMs });
    this.machine.on('state', (s) => this.onState(s));
    this.machine.on('failure', (f) => {
      this.o.reporter.event({ code: 'modem.failure', severity: 'warning', message: `modem ${this.machine.state}: ${f.message}`, error: f.code, state: this.machine.state });
      this.evaluate();
    });
  }

  get state(): ModemState {
    return this.machine.state;
  }

  start(): void {
    this.warnCoexistence();
    this.machine.start();
    this.serial.start();
    const tickMs = Math.min(1000, Math.max(50, this.timing.retryMs));
    this.timers.tick = setInterval(() => this.evaluate(), tickMs);
    this.timers.telemetry = setInterval(() => void this.sendTelemetry(), this.timing.telemetryMs);
    for (const t of [this.timers.tick, this.timers.telemetry]) t.unref?.();
    this.schedulePoll(this.timing.fastPollMs);
  }

  async stop(): Promise<void> {
    this.pollState = PollState.Stopped;
    for (const t of Object.values(this.timers)) if (t) { clearTimeout(t); clearInterval(t); }
    this.machine.stop();
    this.channel.close();
    await this.serial.stop();
  }

  snapshot(): ModemSnapshot {
    const m = this.machine;
    return {
      state: m.state, since: m.since, now: this.now(), failure: m.failure, info: m.info, path: this.serial.path,
      recovery: {
        level: this.ladder.level, running: this.running, counters: this.ladder.counters,
        next: this.next ? { step: this.next.plan.step, at: this.next.at } : null,
        problem: this.problem ? { problem: this.problem.problem, reason: this.problem.reason } : null,
      },
    };
  }

  /** One line for the technician console and the health detail. */
  statusLine(): string {
    return statusLine(this.snapshot());
  }

  health(): Health {
    const recovering = this.running !== null || this.machine.state === ModemState.Resetting || this.machine.state === ModemState.PowerCycling;
    return { ...modemHealth(this.snapshot()), recovering, channel: this.channel.stats, serial: this.serial.stats, counters: this.machine.counters, problem: this.problem };
  }

  /** Lifetime recovery counts (persisted across restarts). */
  lifetime(): Record<string, number> {
    return Object.fromEntries(STEPS.map((s) => [s, Number(this.o.kv.get(`modem.recovery.${s}`) ?? 0)]));
  }

  /** Runs a recovery step now (technician or ops command); refuses while one is running. */
  async recoverNow(step: RecoveryStep, by: string): Promise<{ step: RecoveryStep; state: ModemState }> {
    if (this.running) throw modemError('SP_MODEM_BUSY', { running: this.running }, { message: `a ${this.running} is already running` });
    this.cancelScheduled();
    const plan: PlannedStep = { step, delayMs: 0, level: this.ladder.level, problem: this.problem?.problem ?? 'data' };
    await this.runStep(plan, { problem: plan.problem, reason: `requested by ${by}`, code: null }, by);
    return { step, state: this.machine.state };
  }

  /** Polls signal now (the `modem.signal` command). */
  async pollNow(): Promise<void> {
    await this.machine.poll();
  }

  /** ModemManager fighting for the AT port explains every odd symptom that follows: say so at start. */
  private warnCoexistence(): void {
    const f = checkModemCoexistence({ portPath: this.o.config.path, hostInterface: this.o.config.host?.interface });
    if (f.ok) return;
    this.log.warn({ check: f.id, fix: f.fix }, f.message);
    this.o.reporter.event({ code: 'modem.coexistence', severity: f.severity === 'error' ? 'alarm' : 'warning', message: f.message, fix: f.fix });
  }

  // ── recovery ───────────────────────────────────────────────────────────────────────────────

  private evaluate(): void {
    if (this.pollState === PollState.Stopped) return;
    const now = this.now();
    const m = this.machine;
    if (m.state === ModemState.Online) {
      m.checkHost();
      this.onlineSince ??= now;
      // Stable means traffic flows: the uplink is connected, or a ping went through since.
      const flowing = this.o.uplinkConnected() || this.lastPingOkAt >= this.onlineSince;
      if (now - this.onlineSince >= this.timing.stableMs && this.ladder.level > 0 && !m.failure && flowing) {
        this.log.info({ steps: this.ladder.level }, 'modem stable again; recovery ladder reset');
        this.ladder.stable();
      }
      if (this.o.uplinkConnected()) this.uplinkDownSince = null;
      else this.uplinkDownSince ??= now;
    } else {
      this.onlineSince = null;
      this.uplinkDownSince = null;
    }
    const det = detectProblem({ state: m.state, since: m.since, failure: m.failure, signal: hasSignal(m.info), now, lastStepAt: this.lastStepAt, timing: this.timing });
    if (det || !this.running) this.problem = det;
    if (!det) {
      if (this.next) {
        this.log.info({ step: this.next.plan.step }, 'problem cleared before the recovery step ran; cancelled');
        this.cancelScheduled();
      }
      return;
    }
    if (this.next || this.running) return;
    const plan = this.ladder.plan(det.problem, now);
    if (!plan) return; // sim-locked: only a technician can help; the state event said so
    this.next = { plan, at: now + plan.delayMs, why: det };
    this.log.warn({ problem: det.problem, reason: det.reason, step: plan.step, inMs: plan.delayMs, level: plan.level }, 'modem recovery scheduled');
    this.timers.step = setTimeout(() => {
      this.timers.step = null;
      const n = this.next;
      this.next = null;
      if (n) void this.runStep(n.plan, n.why, 'ladder');
    }, plan.delayMs);
  }

  private cancelScheduled(): void {
    if (this.timers.step) clearTimeout(this.timers.step);
    this.timers.step = null;
    this.next = null;
  }

  private async runStep(plan: PlannedStep, why: Detected, by: string): Promise<void> {
    const step = plan.step;
    this.running = step;
    this.lastStepAt = this.now();
    this.ladder.record(step);
    this.o.kv.increment(`modem.recovery.${step}`);
    this.o.reporter.event({
      code: 'modem.recovery', severity: step === 'power-cycle' || step === 'reset' ? 'alarm' : 'warning',
      message: `modem recovery: ${step} (${why.problem}: ${why.reason})`,
      step, level: plan.level, problem: why.problem, reason: why.reason, error: why.code ?? undefined, waitedMs: plan.delayMs, by, state: this.machine.state,
    });
    this.emit('step', { ...plan, by });
    try {
      switch (step) {
        case 'requery': this.machine.requery(); break;
        case 'reattach': this.machine.reattach(); break;
        case 'reset': this.machine.reset(); break;
        case 'power-cycle': await this.powerCycle(); break;
      }
    } finally {
      this.running = null;
    }
  }

  private async powerCycle(): Promise<void> {
    const cmd = this.o.config.powerCycleCommand;
    this.machine.beginPowerCycle();
    if (!cmd) {
      this.o.reporter.event({ code: 'modem.power-cycle', severity: 'alarm', message: 'modem needs a power cycle but devices.modem.powerCycleCommand is not set', error: 'SP_MODEM_POWER_CYCLE_FAILED' });
      this.machine.endPowerCycle(false, 'power cycle needed; devices.modem.powerCycleCommand is not set');
      return;
    }
    const r = await runPowerHook(cmd, { timeoutMs: this.timing.powerCycleTimeoutMs, env: { SMARTPOLE_MODEM_PATH: this.serial.path, SMARTPOLE_POLE_ID: this.o.poleId } });
    this.log[r.ok ? 'info' : 'error']({ exitCode: r.exitCode, durationMs: r.durationMs, output: r.output }, r.ok ? 'power-cycle hook done' : `power-cycle hook failed: ${r.error}`);
    this.o.reporter.event({
      code: 'modem.power-cycle', severity: r.ok ? 'warning' : 'alarm', error: r.ok ? undefined : 'SP_MODEM_POWER_CYCLE_FAILED',
      message: r.ok ? `modem power-cycled through the GPIO hook (${r.durationMs} ms)` : `power-cycle hook failed: ${r.error}`,
      exitCode: r.exitCode, durationMs: r.durationMs, output: r.output,
    });
    this.machine.endPowerCycle(r.ok, r.ok ? '' : `power-cycle hook failed: ${r.error}`);
  }

  private onState(c: StateChange): void {
    const severity = c.to === ModemState.Online ? 'info' : ALARM_STATES.has(c.to) ? 'alarm' : c.code ? 'warning' : 'info';
    this.o.reporter.event({ code: 'modem.state', severity, message: `modem ${c.to}: ${c.reason}`, from: c.from, to: c.to, reason: c.reason, error: c.code ?? undefined });
    this.emit('state', c);
    if (c.to === ModemState.Online) {
      const r = this.ladder.online(this.now());
      if (r) {
        this.o.kv.increment('modem.recovered');
        this.o.reporter.event({
          code: 'modem.recovered', severity: 'info', message: `modem back online after ${formatDuration(r.durationMs)} (${r.steps.join(' → ') || 'no step needed'})`,
          durationMs: r.durationMs, steps: r.steps,
        });
      }
      this.fastPolls = 0;
      this.lastDataCheck = this.now();
      this.emit('online');
      this.schedulePoll(0);
    } else if (c.from === ModemState.Online) {
      this.emit('offline', c.reason);
    }
    this.evaluate();
  }

  // ── polling and telemetry ──────────────────────────────────────────────────────────────────

  private schedulePoll(ms: number): void {
    if (this.pollState === PollState.Stopped) return;
    if (this.timers.poll) clearTimeout(this.timers.poll);
    this.timers.poll = setTimeout(() => { this.timers.poll = null; void this.pollOnce(); }, ms);
    this.timers.poll.unref?.();
  }

  private async pollOnce(): Promise<void> {
    if (this.pollState !== PollState.Idle) return;
    this.pollState = PollState.Polling;
    let valid = false;
    try {
      if (RADIO_STATES.has(this.machine.state)) {
        valid = await this.machine.poll();
        await this.dataChecks();
      }
    } catch (e) {
      this.log.debug({ err: (e as Error).message }, 'poll failed');
    } finally {
      if (this.pollState === PollState.Polling) this.pollState = PollState.Idle;
    }
    // MM: every 3 s until valid values (at most 5 tries), then every 30 s.
    const fast = !valid && this.fastPolls < this.timing.fastPollTries;
    if (fast) this.fastPolls++;
    else if (valid && this.fastPolls > 0 && this.machine.state === ModemState.Online) void this.sendTelemetry();
    if (valid) this.fastPolls = this.timing.fastPollTries;
    this.schedulePoll(fast ? this.timing.fastPollMs : this.timing.pollMs);
  }

  private async dataChecks(): Promise<void> {
    const now = this.now();
    if (this.machine.state !== ModemState.Online) return;
    if (now - this.lastDataCheck >= this.timing.dataCheckMs) {
      this.lastDataCheck = now;
      if (!(await this.machine.checkData())) return;
    }
    // The modem says online but nothing reaches the broker: test the path itself.
    const down = this.uplinkDownSince;
    if (down === null || now - down < this.timing.dataStallMs || now - this.lastPingAt < this.timing.dataCheckMs) return;
    this.lastPingAt = now;
    const host = this.o.probeHost;
    const ok = await this.machine.queries.pingHost(this.o.config.contextId, host, this.timing.pingTimeoutMs, 2);
    if (this.machine.state !== ModemState.Online) return;
    if (ok) {
      this.lastPingOkAt = this.now();
      this.log.info({ host, uplinkDownMs: now - down }, 'data path answers ping; the uplink outage is not the modem');
    }
    else this.machine.fail('SP_MODEM_DATA_STALL', `data context up but no traffic: uplink down ${formatDuration(now - down)}, ping ${host} failed`);
  }

  private async sendTelemetry(): Promise<void> {
    if (this.pollState === PollState.Stopped) return;
    if (RADIO_STATES.has(this.machine.state)) {
      try { this.temperatureC = await this.machine.queries.temperature(); } catch { /* counted by the channel */ }
    }
    this.o.reporter.telemetry('modem', modemTelemetry(this.snapshot(), this.temperatureC, this.lifetime()));
  }
}
