/**
 * The LED link's one state enum and its counters, shared by LedLink (handshake, receive) and
 * SendWindow (frames in flight) — docs/protocols/led-link.md §5–§6.
 */
import type { Caps } from '../../protocols/led-link/messages.js';

export enum LedLinkState {
  /** Serial device closed. */
  Offline = 'offline',
  /** Open; HELLO sent, waiting for its CAPS. */
  Hello = 'hello',
  Ready = 'ready',
}

export interface LedLinkStats {
  framesSent: number;
  retransmits: number;
  fastRetransmits: number;
  /** Tail-loss probes sent. */
  probes: number;
  naks: Record<string, number>;
  timeouts: number;
  resyncs: number;
  boardResets: number;
  rxFrames: number;
  rxErrors: number;
  bytesSent: number;
  payloadBytes: number;
  /** Bytes the board repaired with FEC (from ACKs). */
  boardCorrected: number;
}

/** A message to send; `done` is called once with null (acknowledged) or the error. */
export interface LinkJob {
  type: number;
  payload: Uint8Array;
  done(err: Error | null): void;
}

/** Supplies bulk jobs when the window has room (the presenter). */
export type JobSource = () => LinkJob | null;

/**
 * Timer delays rounded up to whole ms: Node keeps one timer list per distinct delay, so
 * fractional delays (one per frame at 1 MB/s) would each create a list and a priority-queue insert.
 */
export function wholeMs(ms: number): number {
  return Math.max(1, Math.ceil(ms));
}

/** What the window needs of the session that owns it (LedLink). */
export interface SendWindowSession {
  readonly state: LedLinkState;
  readonly caps: Caps | null;
  readonly stats: LedLinkStats;
  /** Drops the session and says HELLO again. */
  resync(reason: string): void;
}

/** The pump (SendWindow.pump): one state, so a re-entrant call and a yielded turn cannot both be true. */
export enum PumpState {
  /** Nothing running; pump() sends what fits. */
  Idle = 'idle',
  /** pump() is on the stack (a job's done() may call back into it: ignored). */
  Pumping = 'pumping',
  /** One bulk frame went out this turn; the rest of the window follows on the next turn. */
  Yielded = 'yielded',
}
