/**
 * The charging ledger: session rows in SQLite and the records they produce for the city, written
 * in ONE transaction each (EVerest's transaction queue is the model, docs/background.md §Field bus devices):
 * a start, meter values and a stop per session, in order, as telemetry kinds `charging.start`,
 * `charging.meter`, `charging.stop` through Reporter.charging() — the durable outbox's class
 * 'charging', never dropped (docs/mqtt-api.md §Telemetry, docs/charging.md). Nothing about a session is ever only in
 * memory: a kill -9 at any point leaves either the state before a step or the state after it.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/database.js';
import type { Reporter } from '../uplink/reporter.js';
import { isoInZone } from '../../protocols/time.js';

export enum SessionState {
  Active = 'active',
  /** Charging disabled; waiting for the current to stop and a final meter reading. */
  Stopping = 'stopping',
  Closed = 'closed',
}

/** OCPP 1.6 StopTransaction reasons used here. */
export type StopReason = 'EVDisconnected' | 'Remote' | 'Local' | 'Other' | 'PowerLoss' | 'EmergencyStop' | 'DeAuthorized';

export type StartSource = 'command' | 'payment' | 'freevend';

export interface SessionRow {
  seq: number;
  transactionId: string;
  connector: number;
  state: SessionState;
  source: StartSource;
  idTag: string | null;
  paymentRef: string | null;
  paymentAmount: number | null;
  limitWh: number | null;
  pricePerKwh: number;
  currency: string;
  startedAt: number;
  meterStartWh: number;
  segmentStartWh: number;
  energyOffsetWh: number;
  lastMeterWh: number;
  lastMeterAt: number;
  recordCount: number;
  stopReason: StopReason | null;
  stopRequestedAt: number | null;
  stoppedAt: number | null;
  meterStopWh: number | null;
  meterStopSource: 'read' | 'lastKnown' | null;
  energyWh: number | null;
  cost: number | null;
  recovered: boolean;
  /** Why it is stopping beyond the reason (fault, limit, car changed unseen): saved with the intent, sent on the stop record. */
  stopDetail: Record<string, unknown> | null;
}

export interface OpenSession {
  connector: number;
  source: StartSource;
  idTag?: string;
  paymentRef?: string;
  paymentAmount?: number;
  limitWh?: number;
  pricePerKwh: number;
  currency: string;
  meterWh: number;
  at: number;
}

export interface MeterSample {
  meterWh: number;
  powerW: number;
  currentA: number;
  voltageV: number;
  at: number;
}

export interface LedgerOptions {
  db: Db;
  /** Records go out with Reporter.charging(): telemetry topic, outbox class `charging` (never dropped). */
  reporter: Reporter;
  poleId: string;
  timeZone: string;
}

const COLUMNS = `seq, transaction_id AS transactionId, connector, state, source, id_tag AS idTag, payment_ref AS paymentRef,
  payment_amount AS paymentAmount, limit_wh AS limitWh, price_per_kwh AS pricePerKwh, currency, started_at AS startedAt,
  meter_start_wh AS meterStartWh, segment_start_wh AS segmentStartWh, energy_offset_wh AS energyOffsetWh, last_meter_wh AS lastMeterWh,
  last_meter_at AS lastMeterAt, record_count AS recordCount, stop_reason AS stopReason, stop_requested_at AS stopRequestedAt,
  stopped_at AS stoppedAt, meter_stop_wh AS meterStopWh, meter_stop_source AS meterStopSource, energy_wh AS energyWh, cost, recovered,
  stop_detail AS stopDetail`;

type RawRow = Omit<SessionRow, 'recovered' | 'stopDetail'> & { recovered: number; stopDetail: string | null };
const fromRaw = (r: RawRow): SessionRow => ({ ...r, recovered: r.recovered === 1, stopDetail: r.stopDetail ? (JSON.parse(r.stopDetail) as Record<string, unknown>) : null });

/** Energy of a session at meter reading `meterWh` (across meter resets). */
export function sessionEnergyWh(s: Pick<SessionRow, 'energyOffsetWh' | 'segmentStartWh'>, meterWh: number): number {
  return s.energyOffsetWh + (meterWh - s.segmentStartWh);
}

export function sessionCost(energyWh: number, pricePerKwh: number): number {
  return Math.round((energyWh / 1000) * pricePerKwh * 100) / 100;
}

export class SessionLedger {
  private readonly db: Db;

  constructor(private readonly o: LedgerOptions) {
    this.db = o.db;
  }

  private readonly stmts = new Map<string, Statement<unknown[]>>();

  /** Prepared once per SQL text: the service asks on every poll. */
  private stmt(sql: string): Statement<unknown[]> {
    let s = this.stmts.get(sql);
    if (!s) { s = this.db.prepare<unknown[]>(sql); this.stmts.set(sql, s); }
    return s;
  }

  private row(sql: string, ...args: unknown[]): SessionRow | undefined {
    const r = this.stmt(`SELECT ${COLUMNS} FROM charging_sessions ${sql}`).get(...args) as RawRow | undefined;
    return r ? fromRaw(r) : undefined;
  }

  get(transactionId: string): SessionRow | undefined {
    return this.row('WHERE transaction_id = ?', transactionId);
  }

  /** The session not yet closed on a connector (at most one: a unique index guarantees it). */
  open(connector: number): SessionRow | undefined {
    return this.row("WHERE connector = ? AND state != 'closed'", connector);
  }

  byPaymentRef(ref: string): SessionRow | undefined {
    return this.row('WHERE payment_ref = ?', ref);
  }

  recent(limit: number): SessionRow[] {
    return (this.db.prepare(`SELECT ${COLUMNS} FROM charging_sessions ORDER BY seq DESC LIMIT ?`).all(limit) as RawRow[]).map(fromRaw);
  }

  /** Appends the next record of a session to the outbox; call inside the ledger's transaction. */
  private record(s: SessionRow, kind: 'start' | 'meter' | 'stop', body: Record<string, unknown>): void {
    const n = s.recordCount + 1;
    this.stmt('UPDATE charging_sessions SET record_count = ? WHERE seq = ?').run(n, s.seq);
    s.recordCount = n;
    this.o.reporter.charging(`charging.${kind}`, {
      recordId: `${s.transactionId}#${n}`, transactionId: s.transactionId, connector: s.connector, ...body,
    });
  }

  /** StartTransaction: the session row and its start record, atomically. Runs `also` in the same transaction. */
  start(p: OpenSession, also?: () => void): SessionRow {
    return this.db.transaction((): SessionRow => {
      const stamp = isoInZone(p.at, this.o.timeZone).slice(0, 19).replace(/[-:T]/g, '');
      const ins = this.db.prepare(`INSERT INTO charging_sessions (transaction_id, connector, state, source, id_tag, payment_ref, payment_amount, limit_wh,
        price_per_kwh, currency, started_at, meter_start_wh, segment_start_wh, last_meter_wh, last_meter_at)
        VALUES ('pending', ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
        p.connector, p.source, p.idTag ?? null, p.paymentRef ?? null, p.paymentAmount ?? null, p.limitWh ?? null, p.pricePerKwh, p.currency,
        p.at, p.meterWh, p.meterWh, p.meterWh, p.at);
      const seq = Number(ins.lastInsertRowid);
      const txId = `${this.o.poleId}-c${p.connector}-${stamp}-${seq}`;
      this.db.prepare('UPDATE charging_sessions SET transaction_id = ? WHERE seq = ?').run(txId, seq);
      const s = this.get(txId)!;
      this.record(s, 'start', {
        meterStartWh: p.meterWh, source: p.source, idTag: p.idTag ?? null, paymentRef: p.paymentRef ?? null, paymentAmount: p.paymentAmount ?? null,
        limitWh: p.limitWh ?? null, tariff: { pricePerKwh: p.pricePerKwh, currency: p.currency },
      });
      also?.();
      return s;
    })();
  }

  /** MeterValues: remembers the reading for recovery and, unless thinned, sends it. */
  meterValue(s: SessionRow, m: MeterSample, send: boolean): void {
    this.db.transaction(() => {
      this.stmt('UPDATE charging_sessions SET last_meter_wh = ?, last_meter_at = ? WHERE seq = ?').run(m.meterWh, m.at, s.seq);
      s.lastMeterWh = m.meterWh;
      s.lastMeterAt = m.at;
      if (send) {
        const energyWh = sessionEnergyWh(s, m.meterWh);
        this.record(s, 'meter', {
          meterWh: m.meterWh, energyWh, powerW: Math.round(m.powerW), currentA: Math.round(m.currentA * 100) / 100,
          voltageV: Math.round(m.voltageV * 10) / 10, cost: sessionCost(energyWh, s.pricePerKwh),
        });
      }
    })();
  }

  /** The meter went backwards (reset or replaced): close the segment at the last good reading. */
  meterReset(s: SessionRow, lastGoodWh: number, newMeterWh: number, at: number): void {
    const offset = sessionEnergyWh(s, lastGoodWh);
    this.db.prepare('UPDATE charging_sessions SET energy_offset_wh = ?, segment_start_wh = ?, last_meter_wh = ?, last_meter_at = ? WHERE seq = ?')
      .run(offset, newMeterWh, newMeterWh, at, s.seq);
    Object.assign(s, { energyOffsetWh: offset, segmentStartWh: newMeterWh, lastMeterWh: newMeterWh, lastMeterAt: at });
  }

  markStopping(s: SessionRow, reason: StopReason, at: number, recovered: boolean, detail: Record<string, unknown> = {}): void {
    const stopDetail = Object.keys(detail).length ? detail : null;
    this.db.prepare("UPDATE charging_sessions SET state = 'stopping', stop_reason = ?, stop_requested_at = ?, recovered = ?, stop_detail = ? WHERE seq = ?")
      .run(reason, at, recovered ? 1 : 0, stopDetail ? JSON.stringify(stopDetail) : null, s.seq);
    Object.assign(s, { state: SessionState.Stopping, stopReason: reason, stopRequestedAt: at, recovered, stopDetail });
  }

  /** StopTransaction: closes the row and sends its stop record, atomically. Runs `also` in the same transaction. */
  close(s: SessionRow, meterWh: number, source: 'read' | 'lastKnown', at: number, also?: () => void): SessionRow {
    return this.db.transaction((): SessionRow => {
      const energyWh = sessionEnergyWh(s, meterWh);
      const cost = sessionCost(energyWh, s.pricePerKwh);
      this.db.prepare(`UPDATE charging_sessions SET state = 'closed', stopped_at = ?, meter_stop_wh = ?, meter_stop_source = ?, energy_wh = ?, cost = ?,
        last_meter_wh = ?, last_meter_at = ? WHERE seq = ?`).run(at, meterWh, source, energyWh, cost, meterWh, at, s.seq);
      Object.assign(s, { state: SessionState.Closed, stoppedAt: at, meterStopWh: meterWh, meterStopSource: source, energyWh, cost });
      this.record(s, 'stop', {
        meterStartWh: s.meterStartWh, meterStopWh: meterWh, meterStopSource: source, energyWh, reason: s.stopReason ?? 'Other',
        startedAt: isoInZone(s.startedAt, this.o.timeZone), durationSec: Math.round((at - s.startedAt) / 1000), cost, currency: s.currency,
        pricePerKwh: s.pricePerKwh, recovered: s.recovered, paymentRef: s.paymentRef, idTag: s.idTag,
        ...(s.energyOffsetWh ? { meterResets: true } : {}), ...s.stopDetail,
      });
      also?.();
      return s;
    })();
  }
}
