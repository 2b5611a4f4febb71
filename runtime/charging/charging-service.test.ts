/**
 * ChargingService against fake units: recovery decisions after a restart, and no self-feeding
 * evaluation loop when the meter fails instantly (a stopping session with the bus still closed
 * once starved the event loop); which car a payment and a session belong to (docs/charging.md §Which car).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';
import { pino } from 'pino';
import { ChargingSection } from '../config/fieldbus-schema.js';
import { openDatabase, type Db } from '../storage/database.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { poleTopics } from '../../protocols/topics.js';
import { IecState } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import type { EvChargerUnit, EvChargerReading } from '../../device/fieldbus/units/ev-charger.js';
import type { EnergyMeterUnit, MeterReading } from '../../device/fieldbus/units/energy-meter.js';
import { ChargingService } from './charging-service.js';
import { SessionLedger } from './session-ledger.js';
import { ConnectorStore } from './connector-store.js';

const log = pino({ level: 'silent' });
const topics = poleTopics('smartpole/v1', 'WH-JA-0001', []);

class FakeEv extends EventEmitter {
  online = true;
  state = 'online';
  identity = null;
  writes: string[] = [];
  enabled = true;
  locked = true;
  /** The controller's time-in-state-C counter (restarts with each connection). */
  stateCSec = 0;
  async configure() { this.writes.push('configure'); }
  async setMaxCurrent() {}
  async setAvailable() {}
  async setEnabled(on: boolean) { this.enabled = on; this.writes.push(`enable=${on}`); }
  async setLocked(on: boolean) { this.locked = on; this.writes.push(`lock=${on}`); }
  read(state: IecState, pwm = this.enabled) {
    this.emit('reading', {
      at: Date.now(), state, pwm, statusText: state + (pwm ? '2' : '1'), cpCurrentA: 16, cpDutyPct: 26.7, errorBits: 0, errors: [], stateCSec: this.stateCSec,
      cableCapacityA: 32, enabled: this.enabled, available: true, locked: this.locked,
    } satisfies EvChargerReading);
  }
}

class FakeMeter extends EventEmitter {
  state = 'online';
  polls = 0;
  wh = 10_000;
  currentA = 0;
  failing = false;
  async poll(): Promise<MeterReading | null> {
    this.polls++;
    if (this.failing) { this.emit('failure', { code: 'SP_MODBUS_BUS_DOWN', message: 'closed', at: Date.now() }); return null; }
    const m = { at: Date.now(), voltageV: 230, currentA: this.currentA, powerW: 230 * this.currentA, frequencyHz: 50, importWh: this.wh, exportWh: 0 };
    this.emit('reading', m);
    return m;
  }
}

function rig(db: Db, config: Record<string, unknown> = { freeVend: true }) {
  const outbox = new Outbox(db);
  const reporter = new Reporter({ outbox, topics, poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger: log, eventsPerMinute: 1000 });
  const ev = new FakeEv();
  const meter = new FakeMeter();
  const ledger = new SessionLedger({ db, reporter, poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai' });
  const svc = new ChargingService({
    config: ChargingSection.parse(config), ev: ev as unknown as EvChargerUnit, meter: meter as unknown as EnergyMeterUnit,
    ledger, connectors: new ConnectorStore(db), outbox, reporter, logger: log,
  });
  // Charging records are telemetry kinds charging.start|meter|stop; events are events: flattened for the assertions.
  const records = () => outbox.next(0, 1000).map((r) => {
    const p = JSON.parse(r.payload.toString()) as { type: string; kind?: string; values?: Record<string, unknown> } & Record<string, unknown>;
    return (p.type === 'telemetry' && p.kind?.startsWith('charging.') ? { record: p.kind.slice(9), ...p.values } : p) as Record<string, unknown>;
  });
  return { svc, ev, meter, ledger, records };
}

describe('ChargingService recovery', () => {
  it('closes an active session whose car left during the outage (PowerLoss) on the meter reading', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db);
    a.ev.read(IecState.B);
    await a.svc.settle();
    const s = a.ledger.open(1)!;
    expect(s.meterStartWh).toBe(10_000);
    a.svc.shutdown(); // "kill -9": the service is gone, the database stays
    const b = rig(db);
    b.meter.wh = 12_345;
    b.ev.read(IecState.A, false);
    await b.svc.settle();
    const stop = b.records().find((r) => r.record === 'stop')!;
    expect(stop).toMatchObject({ transactionId: s.transactionId, reason: 'PowerLoss', recovered: true, energyWh: 2345, meterStopWh: 12_345 });
    expect(b.ledger.open(1)).toBeUndefined();
  });

  it('resumes an active session whose car is still there', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db);
    a.ev.read(IecState.B);
    await a.svc.settle();
    a.svc.shutdown();
    const b = rig(db);
    b.ev.read(IecState.C, true);
    await b.svc.settle();
    expect(b.records().some((r) => r.code === 'charger.sessionResumed')).toBe(true);
    expect(b.ledger.open(1)?.state).toBe('active');
    expect(b.svc.snapshot().connectors[0]!.status).toBe('Charging');
  });

  it('does not spin when a stopping session meets a meter that fails at once', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db);
    a.ev.read(IecState.C);
    await a.svc.settle();
    a.ledger.markStopping(a.ledger.open(1)!, 'Remote', Date.now(), false);
    a.svc.shutdown();
    const b = rig(db);
    b.meter.failing = true;
    // The event loop must turn during the evaluations (no microtask spin): an immediate queued now
    // runs at the next turn. (A 0 ms timer could legitimately not be due yet on a fast machine.)
    let timerFired = false;
    setImmediate(() => { timerFired = true; });
    for (let i = 0; i < 5; i++) { b.ev.read(IecState.B, false); await b.svc.settle(); }
    expect(timerFired).toBe(true);
    // One meter poll per evaluation, one evaluation per trigger (the reading and settle()): no self-feeding.
    expect(b.meter.polls).toBeLessThanOrEqual(10);
    expect(b.ledger.open(1)?.state).toBe('stopping');
    b.meter.failing = false;
    b.ev.read(IecState.B, false);
    await b.svc.settle();
    expect(b.ledger.open(1)).toBeUndefined();
    expect(b.records().filter((r) => r.record === 'stop')).toHaveLength(1);
  });

  it('switches off a coil left on when no session is open', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db);
    a.ev.enabled = true;
    a.ev.read(IecState.A);
    await a.svc.settle();
    expect(a.ev.writes.slice(0, 2)).toEqual(['configure', 'enable=false']);
  });
});

describe('ChargingService charger.stop', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('answers when the session has closed, on the controller reading that shows the current fell', async () => {
    const a = rig(openDatabase(':memory:'));
    a.ev.read(IecState.C);
    await a.svc.settle();
    const tx = a.ledger.open(1)!.transactionId;
    a.meter.currentA = 16;
    let answer: Record<string, unknown> | null = null;
    const stopping = a.svc.stop(1).then((r) => { answer = r; });
    await new Promise((r) => setTimeout(r, 20));
    expect(a.ledger.open(1)?.state).toBe('stopping');
    expect(answer).toBeNull(); // still waiting: the current has not fallen
    a.meter.currentA = 0;
    a.ev.read(IecState.B, false);
    await stopping;
    expect(answer).toMatchObject({ status: 'Accepted', transactionId: tx, state: 'closed' });
    expect(a.records().find((r) => r.record === 'stop')).toMatchObject({ reason: 'Remote', meterStopSource: 'read' });
  });

  it('answers with the state it is in after 7 s when the session does not close, then force closes it on the last known reading', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const a = rig(openDatabase(':memory:'));
    a.ev.read(IecState.C);
    await a.svc.settle();
    a.meter.currentA = 16;
    let answer: Record<string, unknown> | null = null;
    const stopping = a.svc.stop(1).then((r) => { answer = r; });
    await vi.advanceTimersByTimeAsync(6_900);
    expect(answer).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    await stopping;
    expect(answer).toMatchObject({ status: 'Accepted', state: 'stopping' });
    a.meter.failing = true;
    const forced = a.svc.stop(1, true);
    await vi.advanceTimersByTimeAsync(0);
    expect(await forced).toMatchObject({ status: 'Accepted', state: 'closed' });
    expect(a.records().find((r) => r.record === 'stop')).toMatchObject({ reason: 'Remote', meterStopSource: 'lastKnown' });
  });

  it('settle() resolves after shutdown instead of waiting for an evaluation that never comes', async () => {
    const a = rig(openDatabase(':memory:'));
    a.svc.shutdown();
    await expect(a.svc.settle()).resolves.toBeUndefined();
  });
});

describe('ChargingService: which car is at the connector', () => {
  const paid = (ref: string, plugIn?: number) => ({ source: 'payment' as const, paymentRef: ref, ...(plugIn ? { plugIn } : {}) });

  it('numbers each car plugged in; a payment for a car that has left is refused (SP_CHARGER_PLUG_CHANGED)', async () => {
    const a = rig(openDatabase(':memory:'), {});
    a.ev.read(IecState.B, false);
    await a.svc.settle();
    expect(a.svc.snapshot().connectors[0]!.plugIn).toBe(1);
    a.ev.read(IecState.A, false);
    await a.svc.settle();
    expect(a.svc.snapshot().connectors[0]!.plugIn).toBeNull();
    await expect(a.svc.start(1, paid('WX-LATE-1', 1))).rejects.toMatchObject({ code: 'SP_CHARGER_PLUG_CHANGED' });
    a.ev.read(IecState.B, false);
    await a.svc.settle();
    // The next driver's car: number 2. The first driver's payment, arriving late, must not start it.
    await expect(a.svc.start(1, paid('WX-LATE-1', 1))).rejects.toMatchObject({ code: 'SP_CHARGER_PLUG_CHANGED', detail: { plugIn: 1, pluggedIn: 2 } });
    expect(a.ledger.open(1)).toBeUndefined();
    expect(await a.svc.start(1, paid('WX-NEXT-2', 2))).toMatchObject({ status: 'Accepted', transactionId: expect.any(String) });
    expect(a.ledger.open(1)?.paymentRef).toBe('WX-NEXT-2');
  });

  it('stops a session whose car was replaced unseen (the state-C counter went back), flagged on the stop record; the new car pays for itself', async () => {
    const a = rig(openDatabase(':memory:'), {});
    a.ev.read(IecState.B, false);
    await a.svc.settle();
    await a.svc.start(1, paid('WX-CAR-1', 1));
    const tx = a.ledger.open(1)!.transactionId;
    a.ev.stateCSec = 95;
    a.meter.wh += 400;
    a.ev.read(IecState.C, true);
    await a.svc.settle();
    // The field bus was out: car 1 left, car 2 arrived and has charged 4 s on the coil left on.
    a.ev.stateCSec = 4;
    a.meter.wh += 300;
    a.ev.read(IecState.C, true);
    await a.svc.settle();
    expect(a.ev.enabled).toBe(false);
    expect(a.records().find((r) => r.record === 'stop')).toMatchObject({ transactionId: tx, reason: 'EVDisconnected', carChanged: true, nextPlugIn: 2, energyWh: 700 });
    expect(a.records().some((r) => r.code === 'charger.carChangedUnseen')).toBe(true);
    expect(a.ledger.open(1)).toBeUndefined();
    expect(a.svc.snapshot().connectors[0]).toMatchObject({ plugIn: 2, status: 'Preparing' });
    expect(await a.svc.start(1, paid('WX-CAR-2', 2))).toMatchObject({ status: 'Accepted', transactionId: expect.any(String) });
  });

  it('sees the replacement across a restart too (the counter is saved with the connector)', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db, {});
    a.ev.read(IecState.B, false);
    await a.svc.settle();
    await a.svc.start(1, paid('WX-CAR-1', 1));
    a.ev.stateCSec = 120;
    a.ev.read(IecState.C, true);
    await a.svc.settle();
    a.svc.shutdown(); // kill -9
    const b = rig(db, {});
    b.ev.stateCSec = 10;
    b.ev.read(IecState.C, true);
    await b.svc.settle();
    expect(b.records().find((r) => r.record === 'stop')).toMatchObject({ paymentRef: 'WX-CAR-1', reason: 'PowerLoss', recovered: true, carChanged: true });
    expect(b.records().some((r) => r.code === 'charger.sessionResumed')).toBe(false);
  });

  it('keeps a stop\'s detail across a restart (saved with the stopping session)', async () => {
    const db = openDatabase(':memory:');
    const a = rig(db, {});
    a.ev.read(IecState.B, false);
    await a.svc.settle();
    await a.svc.start(1, paid('WX-CAR-1', 1));
    a.meter.currentA = 16;
    a.ev.stateCSec = 60;
    a.ev.read(IecState.C, true);
    await a.svc.settle();
    a.ev.stateCSec = 2;
    a.ev.read(IecState.C, true);
    await a.svc.settle();
    expect(a.ledger.open(1)?.state).toBe('stopping'); // current still flowing
    a.svc.shutdown();
    const b = rig(db, {});
    b.meter.currentA = 0;
    b.ev.stateCSec = 2;
    b.ev.read(IecState.B, false);
    await b.svc.settle();
    expect(b.records().find((r) => r.record === 'stop')).toMatchObject({ paymentRef: 'WX-CAR-1', carChanged: true });
  });
});
