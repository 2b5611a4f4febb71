/**
 * The web viewer's event log: the last few hundred things that happened — what the
 * pole sent upstream (receipts, events, command responses, births, telemetry, feedback, audit),
 * what the viewer's ops client pushed, and the faults injected — as one bounded ring.
 */
export type EventSource = 'pole' | 'ops' | 'sim';

export interface LogEntry {
  seq: number;
  at: string;
  source: EventSource;
  /** receipt, event, cmdres, state, telemetry, feedback, audit, ops, fault. */
  kind: string;
  summary: string;
  /** warn / error entries are highlighted (rejected receipts, alarms, failed commands). */
  level: 'info' | 'warn' | 'error';
  data: unknown;
}

export interface LogFilter {
  kinds?: readonly string[];
  /** Case-insensitive text that must occur in the summary or the data. */
  text?: string;
  afterSeq?: number;
  limit?: number;
}

export const DEFAULT_CAPACITY = 500;

export class EventLog {
  private readonly ring: LogEntry[] = [];
  private seq = 0;
  private readonly listeners = new Set<(e: LogEntry) => void>();
  dropped = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY, private readonly now: () => number = Date.now) {}

  add(source: EventSource, kind: string, summary: string, data: unknown, level: LogEntry['level'] = 'info'): LogEntry {
    const e: LogEntry = { seq: ++this.seq, at: new Date(this.now()).toISOString(), source, kind, summary, level, data };
    this.ring.push(e);
    if (this.ring.length > this.capacity) { this.ring.shift(); this.dropped++; }
    for (const l of this.listeners) l(e);
    return e;
  }

  onEntry(l: (e: LogEntry) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** Oldest first; `limit` keeps the newest. */
  entries(f: LogFilter = {}): LogEntry[] {
    const text = f.text?.trim().toLowerCase();
    const out = this.ring.filter((e) => (f.afterSeq === undefined || e.seq > f.afterSeq)
      && (!f.kinds?.length || f.kinds.includes(e.kind))
      && (!text || e.summary.toLowerCase().includes(text) || JSON.stringify(e.data).toLowerCase().includes(text)));
    return f.limit !== undefined ? out.slice(Math.max(0, out.length - f.limit)) : out;
  }
}

type Rec = Record<string, unknown>;
const s = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** One line for a record the pole published on `poles/{id}/<leaf>` (docs/mqtt-api.md). */
export function describeUplink(leaf: string, r: Rec): { kind: string; summary: string; level: LogEntry['level'] } {
  switch (leaf) {
    case 'receipts':
      if (r.type === 'proofOfPlay') return { kind: 'receipt', summary: `proof of play ${s(r.from)} – ${s(r.to)}: ${Array.isArray(r.items) ? r.items.length : 0} notices`, level: 'info' };
      return { kind: 'receipt', summary: `${s(r.kind)} ${s(r.id)} v${s(r.version)}: ${s(r.status)}${r.code ? ` ${s(r.code)}` : ''}${r.reason ? ` (${s(r.reason)})` : ''}`, level: r.status === 'rejected' ? 'error' : 'info' };
    case 'events':
      return { kind: 'event', summary: `${s(r.severity)} ${s(r.code)}${r.message ? `: ${s(r.message)}` : ''}`, level: r.severity === 'alarm' || r.severity === 'security' ? 'warn' : 'info' };
    case 'cmd/res':
      return { kind: 'cmdres', summary: `${s(r.name)} ${s(r.id)}: ${r.ok === true ? 'ok' : `error ${s((r.error as Rec | undefined)?.code)}`}`, level: r.ok === true ? 'info' : 'error' };
    case 'state':
      return { kind: 'state', summary: r.online === true ? `online (birth, bdSeq ${s(r.bdSeq)})` : `offline${r.reason ? ` (${s(r.reason)})` : ''} (bdSeq ${s(r.bdSeq)})`, level: r.online === true ? 'info' : 'warn' };
    case 'telemetry': {
      const v = (r.values ?? {}) as Rec;
      const keys = Object.keys(v).slice(0, 5).map((k) => `${k}=${s(v[k])}`).join(' ');
      return { kind: 'telemetry', summary: `${s(r.kind)} ${keys}`, level: 'info' };
    }
    case 'feedback':
      if (r.type === 'rating') return { kind: 'feedback', summary: `ticket ${s(r.ticket)} rated ${s(r.rating)}`, level: 'info' };
      return { kind: 'feedback', summary: `ticket ${s(r.ticket)} ${s(r.category)}/${s(r.problem)}`, level: 'info' };
    case 'audit':
      return { kind: 'audit', summary: `console ${s(r.action)} ${s(r.level)}${r.command ? ` "${s(r.command)}"` : ''}${r.ok === false ? ' (failed)' : ''}`, level: 'info' };
    default:
      return { kind: leaf, summary: JSON.stringify(r).slice(0, 160), level: 'info' };
  }
}
