/**
 * A scripted terminal for the technician console: opens the technician's end of the console's
 * serial pair (a socat PTY, or an in-process pair), types, and waits for output like `expect`.
 * Output lines are also split with @serialport/parser-readline (CRLF), which is where the
 * readline parser fits: reading a line-oriented stream (device/console/console-terminal.ts says why
 * the console itself reads keys, not lines).
 */
import { autoDetect } from '@serialport/bindings-cpp';
import type { BindingInterface } from '@serialport/bindings-interface';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPortStream } from '@serialport/stream';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

/** What a terminal would show for this output: CR, LF, BS and ANSI interpreted, one string per row. */
export function screenOf(out: string): string[] {
  const rows: string[][] = [[]];
  let col = 0;
  for (const ch of out.replace(ANSI, '')) {
    const row = rows.at(-1)!;
    if (ch === '\r') col = 0;
    else if (ch === '\n') { rows.push([]); col = 0; }
    else if (ch === '\b') col = Math.max(0, col - 1);
    else if (ch === '\x07') continue;
    else { row[col] = ch; col++; }
  }
  return rows.map((r) => Array.from(r, (c) => c ?? ' ').join('').trimEnd());
}

export const PROMPT = /(tech|guest)@[A-Z0-9-]+> $/;

export class ConsoleClient {
  private out = '';
  private mark = 0;
  /** Complete output lines (CRLF-delimited), as parser-readline splits them. */
  readonly lines: string[] = [];
  private waiters = new Set<() => void>();

  private constructor(private readonly port: SerialPortStream) {
    port.on('data', (d: Buffer) => {
      this.out += d.toString('utf8');
      if (this.out.length > 4_000_000) { const cut = this.out.length - 2_000_000; this.out = this.out.slice(cut); this.mark = Math.max(0, this.mark - cut); }
      for (const w of this.waiters) w();
    });
    port.pipe(new ReadlineParser({ delimiter: '\r\n', encoding: 'utf8' })).on('data', (l: string) => {
      this.lines.push(l);
      if (this.lines.length > 20_000) this.lines.splice(0, 10_000);
    });
  }

  static async open(path: string, binding?: BindingInterface): Promise<ConsoleClient> {
    const port = new SerialPortStream({ binding: binding ?? (autoDetect() as unknown as BindingInterface), path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((e) => (e ? rej(e) : res())));
    port.on('error', () => {});
    return new ConsoleClient(port);
  }

  /** Everything received since the last expect() match. */
  get pending(): string {
    return this.out.slice(this.mark);
  }

  get all(): string {
    return this.out;
  }

  async send(data: string | Uint8Array): Promise<void> {
    await new Promise<void>((res, rej) => this.port.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data), (e) => (e ? rej(e) : res())));
    await new Promise<void>((res) => this.port.drain(() => res()));
  }

  /** One write per piece, pausing between, so each piece reaches the console in its own read. */
  async sendPieces(pieces: (string | Uint8Array)[], gapMs = 15): Promise<void> {
    for (const p of pieces) {
      await this.send(p);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  }

  /** Waits for `re` in the output after the last match; returns the text up to and including it. */
  expect(re: RegExp | string, timeoutMs = 10_000): Promise<string> {
    const rx = typeof re === 'string' ? new RegExp(re.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : re;
    return new Promise((resolve, reject) => {
      const check = () => {
        const hay = this.out.slice(this.mark);
        const m = rx.exec(hay);
        if (!m) return false;
        const upto = this.mark + m.index + m[0].length;
        const text = this.out.slice(this.mark, upto);
        this.mark = upto;
        this.waiters.delete(check as () => void);
        clearTimeout(timer);
        resolve(text);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check as () => void);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${rx}; got:\n${JSON.stringify(this.out.slice(this.mark).slice(-2000))}`));
      }, timeoutMs);
      if (!check()) this.waiters.add(check as () => void);
    });
  }

  /** Skips what has arrived so far. */
  skip(): void {
    this.mark = this.out.length;
  }

  /** Wakes the console and logs in; `pin` '' = guest. Returns the text shown. */
  async login(pin: string, timeoutMs = 10_000): Promise<string> {
    await this.send('\r');
    const banner = await this.expect('PIN: ', timeoutMs);
    await this.send(pin + '\r');
    return banner + (await this.expect(PROMPT, timeoutMs));
  }

  /** Runs one command and returns what the screen shows between the command line and the next prompt. */
  async run(cmd: string, timeoutMs = 15_000): Promise<string> {
    this.skip();
    await this.send(cmd + '\r');
    const text = await this.expect(PROMPT, timeoutMs);
    const rows = screenOf(text);
    return rows.slice(1, -1).join('\n');
  }

  /** Runs `cmd --json` and parses its one JSON line. */
  async json<T = Record<string, unknown>>(cmd: string, timeoutMs = 15_000): Promise<T> {
    const out = await this.run(`${cmd} --json`, timeoutMs);
    const line = out.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`no JSON line in:\n${out}`);
    return JSON.parse(line) as T;
  }

  async close(): Promise<void> {
    if (!this.port.isOpen) return;
    await new Promise<void>((r) => this.port.close(() => r()));
  }
}
