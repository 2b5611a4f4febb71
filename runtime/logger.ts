/**
 * pino JSON logging (docs/configuration.md §log): every line has a `service` or
 * `device` field (set by child loggers); secrets are redacted by path; the newest lines are kept
 * in a ring so the console's `log tail` works without a disk read.
 */
import { pino, multistream, type Logger, type DestinationStream, type Level } from 'pino';

/** Field names that hold secrets anywhere in a logged object. */
export const REDACT_PATHS = [
  'password', '*.password', 'pin', '*.pin', 'simPin', '*.simPin', 'pinHash', '*.pinHash',
  'privateKey', '*.privateKey', 'secret', '*.secret', 'token', '*.token',
  'config.mqtt.password', 'config.devices.modem.simPin', 'config.devices.console.pinHash',
  'apnPassword', '*.apnPassword', 'config.devices.modem.apnPassword',
];

export class LogRing implements DestinationStream {
  private lines: string[] = [];
  private readonly listeners = new Set<(line: string) => void>();
  constructor(private readonly capacity = 2000) {}
  write(line: string): void {
    const l = line.endsWith('\n') ? line.slice(0, -1) : line;
    this.lines.push(l);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const f of this.listeners) {
      try { f(l); } catch { /* a follower must never break logging */ }
    }
  }
  /** Calls `f` with each new line (`log tail --follow`); returns the unsubscribe function. */
  subscribe(f: (line: string) => void): () => void {
    this.listeners.add(f);
    return () => { this.listeners.delete(f); };
  }
  /** Newest `n` lines (JSON strings), oldest first. */
  tail(n: number): string[] {
    return this.lines.slice(-n);
  }
}

export interface LoggerOptions {
  level: Level;
  /** Where JSON lines go; default stdout. */
  destination?: DestinationStream;
  ring?: LogRing;
  name?: string;
}

export function createLogger(o: LoggerOptions): Logger {
  const streams: { stream: DestinationStream; level: Level }[] = [{ stream: o.destination ?? pino.destination(1), level: o.level }];
  if (o.ring) streams.push({ stream: o.ring, level: 'debug' });
  return pino(
    {
      level: o.level,
      base: { name: o.name ?? 'smartpole' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    multistream(streams),
  );
}

export type { Logger };
