/**
 * What city operations saw of the pole during the chaos run (docs/chaos.md §Invariants): every
 * record the pole sent up, indexed the way the checks read it — receipts per notice, responses per
 * command, citizens' messages, charging records, outbox drops, the latest birth, and the uplink
 * sequence numbers (de-duplicated: QoS 1 may deliver a record twice).
 */
import type { UpRecord } from './ops-link.js';

export interface Receipt { id: string; version?: number; status: string; code?: string; at: number }

export class Ledger {
  readonly receipts = new Map<string, Receipt[]>();
  readonly responses = new Map<string, Record<string, unknown>[]>();
  /** Feedback records by uplink key `stream/seq`. */
  readonly feedback = new Map<string, Record<string, unknown>>();
  /** Charging records by recordId (de-duplicated). */
  readonly charging = new Map<string, Record<string, unknown>>();
  readonly events: Record<string, unknown>[] = [];
  readonly seqs = new Map<string, Set<number>>();
  droppedByClass: Record<string, number> = {};
  droppedTotal = 0;
  maxOutboxDepth = 0;
  birth: Record<string, unknown> | null = null;
  birthAt = 0;
  online = false;
  records = 0;
  duplicates = 0;

  add(r: UpRecord): void {
    this.records++;
    const b = r.body;
    const up = b.uplink as { stream: string; seq: number } | undefined;
    if (up) {
      let s = this.seqs.get(up.stream);
      if (!s) this.seqs.set(up.stream, (s = new Set()));
      // A QoS 1 redelivery or a re-send after reconnect: the same record again (docs/mqtt-api.md §Uplink).
      if (s.has(up.seq)) { this.duplicates++; return; }
      s.add(up.seq);
    }
    switch (r.leaf) {
      case 'state':
        this.online = b.online === true;
        if (b.online === true) { this.birth = b; this.birthAt = r.at; }
        if (b.online === true) this.depth((b.outbox as { depth?: number } | undefined)?.depth);
        break;
      case 'receipts':
        if (b.type === 'receipt' && typeof b.id === 'string') {
          const list = this.receipts.get(b.id) ?? [];
          list.push({ id: b.id, version: b.version as number | undefined, status: String(b.status), code: b.code as string | undefined, at: r.at });
          this.receipts.set(b.id, list);
        }
        break;
      case 'cmd/res':
        if (typeof b.id === 'string') {
          const list = this.responses.get(b.id) ?? [];
          list.push(b);
          this.responses.set(b.id, list);
        }
        break;
      case 'feedback':
        if (up) this.feedback.set(`${up.stream}/${up.seq}`, b);
        break;
      case 'telemetry': {
        const v = b.values as Record<string, unknown> | undefined;
        if (typeof b.kind === 'string' && b.kind.startsWith('charging.') && v && typeof v.recordId === 'string') this.charging.set(v.recordId, { ...v, record: b.kind.slice(9) });
        if (b.kind === 'uplink' && v) this.depth(v.outboxDepth as number | undefined);
        break;
      }
      case 'events':
        this.events.push(b);
        if (this.events.length > 5000) this.events.splice(0, 1000);
        if (b.code === 'SP_OUTBOX_DROPPED') {
          this.droppedTotal += Number(b.dropped ?? 0);
          for (const [k, n] of Object.entries((b.byClass as Record<string, number>) ?? {})) this.droppedByClass[k] = (this.droppedByClass[k] ?? 0) + n;
        }
        break;
    }
  }

  private depth(d: number | undefined): void {
    if (typeof d === 'number') this.maxOutboxDepth = Math.max(this.maxOutboxDepth, d);
  }

  /** The latest birth's health status of one device (`ok`, `degraded`, `down`…), or null if unknown. */
  health(key: string): string | null {
    const d = (this.birth?.devices as Record<string, { status?: string }> | undefined)?.[key];
    return d?.status ?? null;
  }
}
