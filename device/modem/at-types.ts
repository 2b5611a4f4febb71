/** The AT channel's contract: what it needs from a port, what a command and a reply are, its options and counters. */
import type { Logger } from 'pino';

/** What the channel needs from a port: SerialLink fits, and so does a test double. */
export interface AtPort {
  readonly isOpen: boolean;
  write(data: Uint8Array): Promise<void>;
  on(event: 'data', cb: (chunk: Buffer) => void): unknown;
  on(event: 'open', cb: () => void): unknown;
  on(event: 'close', cb: (reason: string) => void): unknown;
}

export interface AtCommandOptions {
  /** Overrides the table's timeout. */
  timeoutMs?: number;
  /** Information lines of this reply start with `prefix`; such lines belong to the reply even when a URC handler shares the prefix. */
  prefix?: string;
  /** A finer test than `prefix` (e.g. `+CEREG:` read form vs URC form). */
  isReply?: (line: string) => boolean;
  /** The reply must carry at least one information line; a bare OK means the channel is out of step. */
  expectLines?: boolean;
  /** Never log the command text (PIN entry). */
  secret?: boolean;
  /** Put at the head of the queue. */
  urgent?: boolean;
}

export interface AtReply {
  command: string;
  lines: string[];
  elapsedMs: number;
}

export interface AtChannelOptions {
  port: AtPort;
  logger: Logger;
  /** Timeout for a command (the profile's table, already scaled). */
  timeoutFor: (command: string) => number;
  maxQueue?: number;
  maxLineBytes?: number;
  /** Information lines kept per reply. Default 64. */
  maxReplyLines?: number;
  /** Quiet time required before the next command after a timeout or an out-of-step reply. Default 100 ms. */
  settleMs?: number;
  /** Longest wait for quiet. Default 1000 ms. */
  maxSettleMs?: number;
  /** Longest wait for a timed-out command's late reply before the next command. Default 5000 ms. */
  maxLateWaitMs?: number;
  now?: () => number;
}

export interface AtChannelStats {
  commands: number;
  ok: number;
  errors: number;
  timeouts: number;
  consecutiveTimeouts: number;
  urcs: number;
  echoes: number;
  /** Lines that belonged to no command (late replies, garbage). */
  strayLines: number;
  outOfStep: number;
  truncatedReplies: number;
  refused: number;
  settles: number;
  /** Timers that fired late because the event loop stalled, and got a grace period. */
  stallGraces: number;
  lastCommandAt: number;
  lastReplyAt: number;
}
