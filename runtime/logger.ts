/**
 * pino JSON logging (design.md "Rules that hold everywhere"): every line has a `service` or
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
  constructor(private readonly capacity = 2000) {}
  write(line: string): void {
    this.lines.push(line.endsWith('\n') ? line.slice(0, -1) : line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
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
