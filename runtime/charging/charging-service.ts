/**
 * ChargingService: the pole's EV charging point (docs/charging.md). Each reading of the charge
 * controller runs one serialized evaluation that derives the OCPP 1.6 connector status from the
 * IEC 61851 state, starts a session when a car is plugged in and authorized (ops command, QR
 * payment, or free vend), stops it on unplug, command or fault, sends meter values every
 * `meterValueIntervalSec`, and recovers an open session after a crash or power loss from the meter.
 *
 * Order that makes records exact: the session row (and its start record) is committed BEFORE the
 * controller is enabled; a stop disables first, waits for the current to fall, then reads the
 * meter and commits the stop. Whatever flows is inside some session, and a restart resumes or
 * closes that session from the meter's own register (docs/charging.md §Recovery).
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { EvChargerUnit, EvChargerReading } from '../../device/fieldbus/units/ev-charger.js';
import type { EnergyMeterUnit, MeterReading } from '../../device/fieldbus/units/energy-meter.js';
import { IecState } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import { UnitState } from '../../device/fieldbus/modbus-master.js';
import { OcppStatus, connectorStatus } from '../../protocols/fieldbus/ocpp-status.js';
import type { ChargingConfig } from '../config/fieldbus-schema.js';
import type { Outbox } from '../uplink/outbox.js';
import type { Reporter } from '../uplink/reporter.js';
import { SessionLedger, SessionState, sessionCost, sessionEnergyWh, type SessionRow, type StopReason } from './session-ledger.js';
import { ConnectorStore, type Authorization } from './connector-store.js';
import { chargingError } from './errors.js';
import { buildChargingStatus, type ChargingStatus } from './charging-status.js';
import { EvalState, STOP_ANSWER_MS, sessionClosed, type StopAsk, type Stopping } from './service-state.js';
import { PlugTracker, type PlugIn } from './plug-tracker.js';
import { ConnectorFaults } from './connector-faults.js';

export interface ChargingServiceOptions {
  config: ChargingConfig;
  ev: EvChargerUnit;
  meter: EnergyMeterUnit | null;
  ledger: SessionLedger;
  connectors: ConnectorStore;
  outbox: Outbox;
  reporter: Reporter;
  logger: Logger;
  now?: () => number;
}

/** A start asked for: an authorization before it is given its expiry. */
export type StartRequest = Omit<Authorization, 'expiresAt'>;

const SETTLED_A = 0.5;
export class ChargingService extends EventEmitter<{ change: [ChargingStatus]; session: [SessionRow] }> {
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly id: number;
  private readonly price: number;
  private session: SessionRow | null;
  private reading: EvChargerReading | null = null;
  private meterReading: MeterReading | null = null;
  /** The controller is under our coils and current (configure() succeeded once). */
  private configured = false;
  /** The session found open at start, until a controller reading says whether its car is still there. */
  private unconfirmed: SessionRow | null;
  private evalState = EvalState.Idle;
  private asked: StopAsk | null = null;
  private stopping: Stopping | null = null;
  private status: { status: OcppStatus; errorCode: string } = { status: OcppStatus.Unavailable, errorCode: 'NoError' };
  private lastMeterValueAt = 0;
  private meterValuesSent = 0;
  private readonly waiters: (() => void)[] = [];
  private readonly plugs: PlugTracker;
  private readonly faults: ConnectorFaults;

  constructor(private readonly o: ChargingServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'charging' });
    this.now = o.now ?? Date.now;
    this.id = o.config.connectorId;
    this.price = Math.round((o.config.tariff.energyPerKwh + o.config.tariff.servicePerKwh) * 10_000) / 10_000;
    this.plugs = new PlugTracker(o.connectors, this.id);
    this.faults = new ConnectorFaults(o.config.relayStuckPowerW);
    this.session = o.ledger.open(this.id) ?? null;
    this.unconfirmed = this.session;
    if (this.session) this.log.warn({ transactionId: this.session.transactionId, state: this.session.state }, 'open session found at start; recovering from the meter');
    // Evaluations follow the controller's poll cadence (and commands). Meter readings only update
    // state: the evaluation polls the meter itself, and must not re-trigger itself through it.
    o.ev.on('reading', (r) => { this.reading = r; this.kick(); });
    o.ev.on('failure', () => { if (o.ev.state === UnitState.Offline) { this.reading = null; this.kick(); } });
    o.meter?.on('reading', (m) => this.onMeter(m));
  }

  get connectorId(): number {
    return this.id;
  }

  /** Runs one evaluation now and resolves when it (and any it triggered) finished. */
  settle(): Promise<void> {
    return new Promise((resolve) => { this.waiters.push(resolve); this.kick(); });
  }

  /** No more evaluations (the pole is stopping and its database closes). */
  shutdown(): void {
    this.evalState = EvalState.Shut;
    for (const w of this.waiters.splice(0)) w();
  }

  /** Asks for an evaluation: starts the loop when idle, queues one more round when it runs. */
  private kick(): void {
    if (this.evalState === EvalState.Shut) { for (const w of this.waiters.splice(0)) w(); return; }
    const start = this.evalState === EvalState.Idle;
    this.evalState = EvalState.Queued;
    if (start) void this.loop();
  }

  private async loop(): Promise<void> {
    while (this.evalState === EvalState.Queued) {
      this.evalState = EvalState.Running;
      try { await this.evaluate(); } catch (e) { this.log.error({ err: (e as Error).message, stack: (e as Error).stack }, 'charging evaluation failed'); }
      // Never starve the event loop, whatever asked for the next round (an evaluation may finish in microtasks).
      await new Promise((r) => setImmediate(r));
    }
    if (this.evalState === EvalState.Running) this.evalState = EvalState.Idle;
    for (const w of this.waiters.splice(0)) w();
  }

  private onMeter(m: MeterReading): void {
    const prev = this.meterReading;
    this.meterReading = m;
    const s = this.session;
    const lastGood = Math.max(s?.lastMeterWh ?? 0, prev?.importWh ?? 0);
    if (s && m.importWh < lastGood - 1) {
      this.log.warn({ transactionId: s.transactionId, lastWh: lastGood, nowWh: m.importWh }, 'meter went backwards (reset or replaced); opening a new segment');
      this.o.ledger.meterReset(s, lastGood, m.importWh, m.at);
      this.o.reporter.event({ code: 'charger.meterReset', severity: 'alarm', message: `meter register fell from ${lastGood} to ${m.importWh} Wh during ${s.transactionId}`, connector: this.id, transactionId: s.transactionId });
    } else if (s && s.state === SessionState.Active && m.at - this.lastMeterValueAt >= this.o.config.meterValueIntervalSec * 1000) {
      this.lastMeterValueAt = m.at;
      // EVerest thins MeterValues past a queue threshold; start and stop are never thinned.
      const backlog = (this.o.outbox.depthByClass().charging ?? 0) > this.o.config.meterValuesThinAbove;
      const send = !backlog || this.meterValuesSent++ % 2 === 0;
      this.o.ledger.meterValue(s, { meterWh: m.importWh, powerW: m.powerW, currentA: m.currentA, voltageV: m.voltageV, at: m.at }, send);
    }
  }

  private async evaluate(): Promise<void> {
    const r = this.reading;
    const st = this.o.connectors.get(this.id);
    if (st.auth && st.auth.expiresAt <= this.now() && !this.session) {
      this.o.connectors.set(this.id, { auth: null });
      this.log.info({ source: st.auth.source, paymentRef: st.auth.paymentRef }, 'authorization expired without a car');
      this.o.reporter.event({ code: 'charger.authorizationExpired', severity: 'info', message: 'authorization expired: no car plugged in', connector: this.id, paymentRef: st.auth.paymentRef });
    }
    this.updateFaults();
    const arrived = r ? this.plugs.observe(r) : null;
    if (arrived) this.carArrived(arrived);
    if (r && !this.configured && this.o.ev.online) await this.configure(st.operative);
    if (r) {
      if (this.session?.state === SessionState.Active) await this.whileActive(r, arrived);
      if (this.session?.state === SessionState.Stopping) await this.whileStopping(r);
      if (!this.session) await this.whileIdle(r);
    } else if (this.session?.state === SessionState.Stopping) {
      await this.whileStopping(null);
    }
    if (r) this.unconfirmed = null;
    this.publishStatus();
  }

  /** Puts the controller under our coils and to our current, and reflects availability. */
  private async configure(operative: boolean): Promise<void> {
    try {
      await this.o.ev.configure();
      await this.o.ev.setMaxCurrent(this.o.config.maxCurrentA);
      await this.o.ev.setAvailable(operative || this.session !== null);
      // A coil left on by a runtime that died mid-session must not power the next car: off unless a session is open.
      if (!this.session) await this.o.ev.setEnabled(false);
      this.configured = true;
      this.log.info({ identity: this.o.ev.identity }, 'charge controller configured');
    } catch (e) {
      this.log.warn({ err: (e as Error).message }, 'cannot configure the charge controller yet');
    }
  }

  private updateFaults(): void {
    const s = this.session;
    const stuck = this.faults.update({
      meterOffline: this.o.meter === null || this.o.meter.state === 'offline', powerW: this.meterReading?.powerW ?? 0, now: this.now(),
      shouldBeOff: !s || (s.state === SessionState.Stopping && this.now() - (s.stopRequestedAt ?? 0) > 5000),
    });
    if (stuck) this.o.reporter.event({ code: 'charger.relayStuck', severity: 'alarm', message: `${Math.round(this.meterReading!.powerW)} W flows through a disabled connector`, connector: this.id });
  }

  private async whileIdle(r: EvChargerReading): Promise<void> {
    const st = this.o.connectors.get(this.id);
    if (st.finishing && r.state === IecState.A) this.o.connectors.set(this.id, { finishing: false });
    if (this.configured && r.enabled) await this.safely(() => this.o.ev.setEnabled(false));
    if (this.configured && r.locked && r.state === IecState.A) await this.safely(() => this.o.ev.setLocked(false));
    if (this.configured && r.available !== st.operative) await this.safely(() => this.o.ev.setAvailable(st.operative));
    const connected = r.state === IecState.B || r.state === IecState.C || r.state === IecState.D;
    // Free vend waits for the finished car to leave; an explicit authorization may start it again.
    const authorized = st.auth !== null || (this.o.config.freeVend && !this.o.connectors.get(this.id).finishing);
    if (connected && this.configured && st.operative && this.faults.size === 0 && r.errorBits === 0 && authorized) {
      await this.startSession(st.auth);
    }
  }

  private async startSession(auth: Authorization | null): Promise<void> {
    const m = this.o.meter ? await this.o.meter.poll('command') : null;
    if (!m) { this.log.warn('cannot start: the meter does not answer'); return; }
    const s = this.o.ledger.start({
      connector: this.id, source: auth?.source ?? 'freevend', idTag: auth?.idTag, paymentRef: auth?.paymentRef, paymentAmount: auth?.paymentAmount,
      limitWh: auth?.limitWh, pricePerKwh: this.price, currency: this.o.config.tariff.currency, meterWh: m.importWh, at: this.now(),
    }, () => this.o.connectors.set(this.id, { auth: null }));
    this.session = s;
    this.lastMeterValueAt = m.at;
    this.log.info({ transactionId: s.transactionId, meterStartWh: s.meterStartWh, source: s.source }, 'session started');
    this.emit('session', s);
    // Only now, with the session committed, may current flow.
    await this.safely(async () => { await this.o.ev.setLocked(true); await this.o.ev.setEnabled(true); });
  }

  /** A car was plugged in (docs/charging.md §Which car): an authorization paid for another car is void. */
  private carArrived(p: PlugIn): void {
    const tx = this.session?.transactionId;
    this.log.info({ plugIn: p.plugIn, unseen: p.unseen, transactionId: tx }, p.unseen ? 'another car is plugged in: the last one left out of sight' : 'car plugged in');
    if (p.unseen) this.o.reporter.event({ code: 'charger.carChangedUnseen', severity: 'warning', message: 'a car left and another arrived while the controller was out of sight', connector: this.id, plugIn: p.plugIn, transactionId: tx });
    if (p.voided) this.o.reporter.event({ code: 'charger.authorizationVoid', severity: 'info', message: 'authorization void: the car it was paid for has left', connector: this.id, paymentRef: p.voided.paymentRef });
  }

  private async whileActive(r: EvChargerReading, arrived: PlugIn | null): Promise<void> {
    const s = this.session!;
    // Gone (while we were down: OCPP PowerLoss), or gone and replaced by another car while the
    // controller was out of sight: that car must not charge on this session (docs/charging.md §Which car).
    const recovered = this.unconfirmed === s;
    if (r.state === IecState.A || arrived?.unseen) {
      return this.beginStop(recovered ? 'PowerLoss' : 'EVDisconnected', recovered, arrived?.unseen ? { carChanged: true, nextPlugIn: arrived.plugIn } : {});
    }
    if (this.asked?.kind === 'stop') {
      const reason = this.asked.reason;
      this.asked = null;
      return this.beginStop(reason, false);
    }
    if (this.unconfirmed === s) {
      this.log.warn({ transactionId: s.transactionId }, 'car still connected after restart: session resumed');
      this.o.reporter.event({ code: 'charger.sessionResumed', severity: 'info', message: `session ${s.transactionId} resumed after a restart`, connector: this.id, transactionId: s.transactionId });
    }
    // A meter that stops answering does not lose energy (its register keeps counting): stop only if it stays away.
    const meterLost = this.faults.has('PowerMeterFailure') && this.faults.meterLostMs(this.now()) >= this.o.config.meterLossStopSec * 1000;
    const fault = r.errorBits !== 0 || r.state === IecState.E || r.state === IecState.F || meterLost || this.faults.has('PowerSwitchFailure');
    if (fault) return this.beginStop('Other', false, { fault: this.currentStatus().errorCode, controllerErrors: r.errors });
    const m = this.meterReading;
    if (m) {
      const energy = sessionEnergyWh(s, m.importWh);
      if ((s.limitWh !== null && energy >= s.limitWh) || (s.paymentAmount !== null && sessionCost(energy, s.pricePerKwh) >= s.paymentAmount)) {
        return this.beginStop('Local', false, { limitReached: true });
      }
    }
    // Re-assert after a controller restart or a write that did not land.
    if (!r.enabled || !r.locked) await this.safely(async () => { await this.o.ev.setLocked(true); await this.o.ev.setEnabled(true); });
  }

  private async beginStop(reason: StopReason, recovered: boolean, detail: Record<string, unknown> = {}): Promise<void> {
    const s = this.session!;
    // Intent first: a crash between the two leaves a 'stopping' session that is finished on restart.
    this.o.ledger.markStopping(s, reason, this.now(), recovered, detail);
    await this.safely(() => this.o.ev.setEnabled(false));
    this.stopping = { overdueReported: false };
    this.log.info({ transactionId: s.transactionId, reason }, 'session stopping');
    await this.whileStopping(this.reading);
  }

  /**
   * Closes once the current has fallen and the meter was read. Without a meter reading it waits —
   * the record is late, never wrong — and raises an alarm after finalMeterTimeoutSec; operations
   * may force it closed on the last known reading (charger.stop with force).
   */
  private async whileStopping(r: EvChargerReading | null): Promise<void> {
    const s = this.session!;
    if (r?.enabled && !this.faults.has('PowerSwitchFailure')) await this.safely(() => this.o.ev.setEnabled(false));
    const m = this.o.meter ? await this.o.meter.poll('command') : null;
    const waited = this.now() - (s.stopRequestedAt ?? this.now());
    if (m && (m.currentA < SETTLED_A || r?.state === IecState.A || waited > this.o.config.finalMeterTimeoutSec * 1000)) {
      if (m.importWh < s.lastMeterWh - 1) this.o.ledger.meterReset(s, s.lastMeterWh, m.importWh, m.at);
      return this.finish(m.importWh, 'read');
    }
    // A session found 'stopping' at start has no record of its own yet.
    const stopping = (this.stopping ??= { overdueReported: false });
    if (!m && waited > this.o.config.finalMeterTimeoutSec * 1000 && !stopping.overdueReported) {
      stopping.overdueReported = true;
      this.log.warn({ transactionId: s.transactionId, lastMeterWh: s.lastMeterWh }, 'no final meter reading; the session stays open until the meter answers');
      this.o.reporter.event({ code: 'charger.finalMeterOverdue', severity: 'alarm', message: `session ${s.transactionId} waits for a final meter reading`, connector: this.id, transactionId: s.transactionId, lastMeterWh: s.lastMeterWh });
    }
    if (this.asked?.kind === 'force') {
      this.asked = null;
      this.log.warn({ transactionId: s.transactionId, lastMeterWh: s.lastMeterWh }, 'closing on the last known meter reading (forced)');
      return this.finish(s.lastMeterWh, 'lastKnown');
    }
  }

  private async finish(meterWh: number, source: 'read' | 'lastKnown'): Promise<void> {
    const s = this.session!;
    const plugged = this.reading !== null && this.reading.state !== IecState.A;
    // The car still plugged in is the one that finished, unless another took its place unseen.
    const finishing = plugged && s.stopDetail?.carChanged !== true;
    this.o.ledger.close(s, meterWh, source, this.now(), () => this.o.connectors.set(this.id, { finishing }));
    this.session = null;
    this.stopping = null;
    this.asked = null;
    this.log.info({ transactionId: s.transactionId, energyWh: s.energyWh, reason: s.stopReason, cost: s.cost }, 'session closed');
    this.emit('session', s);
    // Release the cable so the driver can take it.
    if (plugged) await this.safely(() => this.o.ev.setLocked(false));
  }

  private async safely(f: () => Promise<void>): Promise<void> {
    try { await f(); } catch (e) { this.log.warn({ err: (e as Error).message, code: (e as { code?: string }).code }, 'charge controller command failed; will retry on the next poll'); }
  }

  private currentStatus(): { status: OcppStatus; errorCode: string } {
    const st = this.o.connectors.get(this.id);
    const r = this.o.ev.online ? this.reading : null;
    return connectorStatus({
      iec: r?.state ?? null, pwm: r?.pwm ?? false, errorBits: r?.errorBits ?? 0,
      session: this.session ? 'active' : st.finishing ? 'finished' : 'none', authorized: st.auth !== null, operative: st.operative, faults: this.faults.list(),
    });
  }

  private publishStatus(): void {
    const next = this.currentStatus();
    if (next.status === this.status.status && next.errorCode === this.status.errorCode) return;
    const prev = this.status;
    this.status = next;
    this.log.info({ from: prev.status, to: next.status, errorCode: next.errorCode }, 'connector status');
    this.o.reporter.event({
      code: 'charger.status', severity: next.status === OcppStatus.Faulted ? 'alarm' : 'info', message: `connector ${this.id}: ${next.status}`,
      connector: this.id, status: next.status, errorCode: next.errorCode, transactionId: this.session?.transactionId,
    });
    this.emit('change', this.snapshot());
  }

  // ---- commands (runtime/charging/commands.ts) ----

  private checkConnector(connector: number | undefined): void {
    if (connector !== undefined && connector !== this.id) throw chargingError('SP_CHARGER_UNKNOWN_CONNECTOR', { connector, have: [this.id] });
  }

  /** RemoteStartTransaction / a QR payment: authorizes the connector for the next (or the plugged) car. */
  async start(connector: number | undefined, req: StartRequest): Promise<Record<string, unknown>> {
    this.checkConnector(connector);
    if (req.paymentRef) {
      const used = this.o.ledger.byPaymentRef(req.paymentRef);
      if (used && used.state !== SessionState.Closed) return { status: 'Accepted', duplicate: true, transactionId: used.transactionId };
      if (used) throw chargingError('SP_CHARGER_PAYMENT_USED', { paymentRef: req.paymentRef, transactionId: used.transactionId });
      const pending = this.o.connectors.get(this.id).auth;
      if (pending?.paymentRef === req.paymentRef) return { status: 'Accepted', duplicate: true, authorizedUntil: new Date(pending.expiresAt).toISOString() };
    }
    // A payment made at one car: that car must still be the one plugged in (docs/charging.md §Which car).
    if (req.plugIn !== undefined) this.plugs.requirePlugged(req.plugIn);
    const st = this.o.connectors.get(this.id);
    if (!st.operative) throw chargingError('SP_CHARGER_UNAVAILABLE', { connector: this.id });
    if (this.session || st.auth) throw chargingError('SP_CHARGER_BUSY', { connector: this.id, transactionId: this.session?.transactionId });
    const cur = this.currentStatus();
    if (cur.status === OcppStatus.Faulted) throw chargingError('SP_CHARGER_FAULTED', { connector: this.id, errorCode: cur.errorCode });
    const auth: Authorization = { ...req, expiresAt: this.now() + this.o.config.authorizeTimeoutSec * 1000 };
    this.o.connectors.set(this.id, { auth });
    this.log.info({ source: req.source, paymentRef: req.paymentRef, principal: req.principal }, 'connector authorized');
    await this.settle();
    const s = this.session as SessionRow | null;
    return s ? { status: 'Accepted', transactionId: s.transactionId } : { status: 'Accepted', authorizedUntil: new Date(auth.expiresAt).toISOString() };
  }

  /** RemoteStopTransaction, or cancelling a waiting authorization; `force` closes a session stuck waiting for its meter. */
  async stop(connector: number | undefined, force = false): Promise<Record<string, unknown>> {
    this.checkConnector(connector);
    if (this.session) {
      const s = this.session;
      const closed = sessionClosed(this, s, () => this.session !== s, STOP_ANSWER_MS);
      if (s.state === SessionState.Active) { this.asked = { kind: 'stop', reason: 'Remote' }; await this.settle(); }
      if (force && this.session === s && s.state === SessionState.Stopping) { this.asked = { kind: 'force' }; await this.settle(); }
      // The stop completes once the current has fallen (seconds, at the controller's poll cadence); answer then, or with the state it is in.
      await closed;
      return { status: 'Accepted', transactionId: s.transactionId, state: s.state, energyWh: s.energyWh, cost: s.cost };
    }
    if (this.o.connectors.get(this.id).auth) {
      this.o.connectors.set(this.id, { auth: null });
      await this.settle();
      return { status: 'Accepted', cancelled: 'authorization' };
    }
    throw chargingError('SP_CHARGER_NO_SESSION', { connector: this.id });
  }

  /** ChangeAvailability: Inoperative takes effect when the running session ends ("Scheduled"). */
  async setOperative(connector: number | undefined, operative: boolean): Promise<Record<string, unknown>> {
    this.checkConnector(connector);
    this.o.connectors.set(this.id, { operative, ...(operative ? {} : { auth: null }) });
    await this.settle();
    return { status: !operative && this.session ? 'Scheduled' : 'Accepted' };
  }

  snapshot(): ChargingStatus {
    return buildChargingStatus({
      id: this.id, status: this.status, reading: this.reading, state: this.o.connectors.get(this.id), faults: this.faults.list(),
      session: this.session, meter: this.meterReading, price: this.price, tariff: this.o.config.tariff, now: this.now(),
    });
  }
}
