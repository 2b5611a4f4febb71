/**
 * ConsoleSession: the technician's session on the service port (docs/console.md §Logging in), one
 * state machine:
 *
 *   asleep ──Enter──▶ pin ──PIN ok──▶ ready ⇄ running
 *     ▲                │  └─empty──▶ ready (guest)
 *     │                └─wrong×5──▶ pin (locked: PIN refused until the lockout ends)
 *     └──── logout | idle timeout | port closed | Ctrl-C at the PIN prompt
 *
 * A guest (empty PIN) may only run guest commands (status, time, help, color, login, logout);
 * `login` raises a guest session to tech with the PIN. The PIN check, the lockout and its MQTT
 * event, idle logout, audit of login/logout and every tech command are all here or in the
 * collaborators it is given.
 */
import type { Logger } from 'pino';
import { painter } from '../../protocols/console/ansi.js';
import { completeLine } from '../../protocols/console/complete.js';
import { formatClock, formatDuration, offsetLabel } from '../../protocols/console/units.js';
import type { ConsoleTerminal, ReadResult } from '../../device/console/console-terminal.js';
import type { Reporter } from '../uplink/reporter.js';
import { completionTree, type ConsoleCommand, type Level, type SessionInfo } from './command-tree.js';
import type { ConsoleEnv } from './env.js';
import type { ConsoleAudit } from './audit.js';
import type { CommandExecutor } from './executor.js';
import { verifyPin } from './pin.js';

export enum SessionState {
  /** Logged out; waiting for Enter to show the banner. */
  Asleep = 'asleep',
  /** Banner shown; waiting for the PIN. */
  Pin = 'pin',
  /** scrypt is checking a PIN. */
  Verifying = 'verifying',
  /** Logged in, at the prompt. */
  Ready = 'ready',
  /** A command runs; Ctrl-C cancels it. */
  Running = 'running',
  Stopped = 'stopped',
}

export interface ConsoleSessionOptions {
  terminal: ConsoleTerminal;
  env: ConsoleEnv;
  executor: CommandExecutor;
  audit: ConsoleAudit;
  reporter: Reporter;
  roots: () => ConsoleCommand[];
  logger: Logger;
  /** The configured hash, read at each attempt (a live `config set` changes it). */
  pinHash: () => string | undefined;
}

export class ConsoleSession {
  state: SessionState = SessionState.Asleep;
  level: Level | null = null;
  private info: SessionInfo | null = null;
  private counter = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /**
   * Cancels the command the prompt is about to run or is running. Made fresh at each prompt, so a
   * Ctrl-C between Enter and the command's start still reaches it.
   */
  private cancel: AbortController | null = null;
  /**
   * Why the session ends once the running command returns: `logout` (the command asked), or idle
   * or port closed (from outside, which wins over a logout).
   */
  private ending: string | null = null;
  private loop: Promise<void> | null = null;
  private readonly log: Logger;
  readonly stats = { logins: 0, guestLogins: 0, wrongPins: 0, lockouts: 0, idleLogouts: 0, commands: 0 };

  constructor(private readonly o: ConsoleSessionOptions) {
    this.log = o.logger.child({ service: 'console' });
    const t = o.terminal;
    t.on('activity', () => this.armIdle());
    t.on('interrupt', () => this.cancel?.abort());
    t.on('close', (reason) => this.end(`port closed (${reason})`));
    t.on('open', () => { if (this.state === SessionState.Asleep) this.wake(); });
  }

  get session(): Readonly<SessionInfo> | null {
    return this.info;
  }

  start(): void {
    this.loop ??= this.run().catch((e: Error) => this.log.error({ err: e.stack }, 'console session loop failed'));
  }

  async stop(reason = 'runtime stopping'): Promise<void> {
    if (this.state === SessionState.Stopped) return;
    if (this.info) {
      this.o.terminal.write(`\n${reason}: logged out.\n`);
      this.finishLogout(reason);
    }
    this.state = SessionState.Stopped;
    this.cancel?.abort();
    this.clearIdle();
    this.o.terminal.cancelRead(reason);
    await this.loop;
  }

  private get paint() {
    return painter(this.info?.color ?? this.o.env.settings.color);
  }

  private write(s: string): void {
    this.o.terminal.write(s);
  }

  private wake(): void {
    this.write(`\nsmartpole service console — pole ${this.o.env.poleId}. Press Enter to log in.\n`);
  }

  private async run(): Promise<void> {
    if (this.o.terminal.isOpen) this.wake();
    while (this.state !== SessionState.Stopped) {
      this.state = SessionState.Asleep;
      const r = await this.o.terminal.readLine({ prompt: '' });
      if (this.stopped()) return;
      if (r.kind !== 'line') continue;
      const level = await this.loginPhase();
      if (this.stopped()) return;
      if (!level) continue;
      await this.commandPhase();
    }
  }

  private stopped(): boolean {
    return this.state === SessionState.Stopped;
  }

  private banner(): string {
    const e = this.o.env;
    const now = e.now();
    return [
      '',
      this.paint(`smartpole ${e.softwareVersion} · pole ${e.poleId}${e.address ? ` · ${e.address}` : ''}`, 'bold'),
      `Service console. ${formatClock(now, e.timeZone)} ${offsetLabel(e.timeZone, now)} (${e.timeZone}), runtime up ${formatDuration(now - e.startedAt)}.`,
      'Enter the technician PIN, or just press Enter for read-only guest access.',
      '',
    ].join('\n');
  }

  /** Banner, then PIN prompts until a login (tech or guest) or a way out; returns the level. */
  private async loginPhase(): Promise<Level | null> {
    this.write(this.banner());
    while (!this.stopped()) {
      this.state = SessionState.Pin;
      const r = await this.o.terminal.readLine({ prompt: 'PIN: ', obscure: true });
      if (r.kind !== 'line') return null;
      if (r.text === '') { this.begin('guest'); return 'guest'; }
      if (await this.checkPin(r.text)) { this.begin('tech'); return 'tech'; }
    }
    return null;
  }

  /** One PIN attempt with lockout bookkeeping; true when it is the technician PIN. */
  private async checkPin(pin: string): Promise<boolean> {
    const e = this.o.env;
    const lock = e.lockout;
    if (lock.sealed) {
      this.write(`${this.paint('Sealed', 'yellow')}: PIN entry stays refused after repeated lockouts until city operations unlock it (signed command console.unlock). Press Enter for guest access. (SP_CONSOLE_SEALED)\n`);
      return false;
    }
    const remaining = lock.remainingMs();
    if (remaining > 0) {
      lock.checkpoint();
      const until = e.now() + remaining;
      this.write(`${this.paint('Locked', 'yellow')}: PIN entry refused for ${formatDuration(remaining)} more (until ${formatClock(until, e.timeZone)} ${offsetLabel(e.timeZone, until)}) after repeated wrong PINs. Press Enter for guest access. (SP_CONSOLE_LOCKED)\n`);
      return false;
    }
    const hash = this.o.pinHash();
    this.state = SessionState.Verifying;
    const ok = await verifyPin(pin, hash);
    if (this.stopped()) return false;
    if (!hash) {
      this.write('No technician PIN is configured on this pole (devices.console.pinHash), so only guest access is possible. Make one with `smartpole console-hash`. (SP_CONSOLE_NO_PIN)\n');
      return false;
    }
    if (ok) {
      lock.recordSuccess();
      return true;
    }
    this.stats.wrongPins++;
    const f = lock.recordFailure();
    this.log.warn({ code: 'SP_CONSOLE_WRONG_PIN', port: this.o.terminal.path }, 'wrong console PIN');
    if (!f.locked) {
      this.write(`Wrong PIN. ${f.attemptsLeft} more ${f.attemptsLeft === 1 ? 'try' : 'tries'} before PIN entry locks. (SP_CONSOLE_WRONG_PIN)\n`);
      return false;
    }
    this.stats.lockouts++;
    const cfg = e.consoleSettings();
    const max = cfg?.maxPinAttempts ?? 5;
    this.write(`Wrong PIN. ${this.paint('PIN entry locked', 'yellow')} for ${formatDuration(f.lockMs)} after ${max} wrong PINs (lockout ${f.lockouts}; each further lockout doubles). Guest access still works. (SP_CONSOLE_LOCKOUT)\n`);
    this.log.warn({ code: 'SP_CONSOLE_LOCKOUT', lockMs: f.lockMs, lockouts: f.lockouts }, 'console PIN entry locked');
    if (f.sealed) {
      this.o.reporter.event({ code: 'SP_CONSOLE_SEALED', severity: 'security', message: `console sealed after ${f.lockouts} lockouts: only console.unlock opens it`, port: this.o.terminal.path, lockouts: f.lockouts });
    }
    this.o.reporter.event({
      code: 'SP_CONSOLE_LOCKOUT', severity: 'security', message: `console PIN entry locked for ${Math.round(f.lockMs / 1000)} s after ${max} wrong PINs`,
      port: this.o.terminal.path, wrongPins: max, lockoutSec: f.lockMs / 1000, lockouts: f.lockouts, until: new Date(f.until).toISOString(),
    });
    return false;
  }

  private begin(level: Level): void {
    this.counter++;
    this.level = level;
    this.info = { id: `${this.o.env.poleId}-c${Date.now().toString(36)}${this.counter}`, level, since: this.o.env.now(), color: this.o.env.settings.color };
    this.ending = null;
    if (level === 'tech') this.stats.logins++;
    else this.stats.guestLogins++;
    this.o.audit.record({ action: 'login', session: this.info.id, level });
    const idle = formatDuration(this.o.env.settings.idleLogoutMs);
    this.write(level === 'tech'
      ? `Logged in as ${this.paint('tech', 'green')}. Type help for commands, selftest to check every device. Idle logout after ${idle}.\n`
      : `Logged in as guest (read-only: status, time, help). Type login for the technician level. Idle logout after ${idle}.\n`);
    this.armIdle();
  }

  private prompt(): string {
    return `${this.level ?? 'guest'}@${this.o.env.poleId}> `;
  }

  private async commandPhase(): Promise<void> {
    const completer = (before: string) => completeLine(completionTree(this.o.roots(), this.level ?? 'guest'), before);
    while (this.info && !this.stopped()) {
      this.state = SessionState.Ready;
      this.cancel = new AbortController();
      const r: ReadResult = await this.o.terminal.readLine({ prompt: this.prompt(), history: true, completer });
      if (r.kind === 'cancelled') { this.endSession(this.ending ?? r.reason); return; }
      if (r.kind === 'interrupt' || r.text.trim() === '') continue;
      await this.runCommand(r.text, this.cancel);
      this.armIdle(); // idle time counts from the end of a command's output, with the current setting
      if (this.ending) { this.endSession(this.ending); return; }
    }
  }

  private async runCommand(line: string, ac: AbortController): Promise<void> {
    const info = this.info!;
    this.state = SessionState.Running;
    this.stats.commands++;
    try {
      await this.o.executor.execute(line, info, {
        write: (t) => this.write(t),
        ask: (prompt) => this.ask(prompt),
        setColor: (on) => { info.color = on; },
        logout: () => { this.ending ??= 'logout'; },
        elevate: () => this.elevate(),
      }, ac.signal);
    } finally {
      this.cancel = null;
      this.o.terminal.flushInput();
      if (this.state === SessionState.Running) this.state = SessionState.Ready;
    }
  }

  private async ask(prompt: string): Promise<string | null> {
    const r = await this.o.terminal.readLine({ prompt });
    return r.kind === 'line' ? r.text : null;
  }

  /** `login` from a guest session: one PIN prompt with the same lockout rules. */
  private async elevate(): Promise<boolean> {
    const r = await this.o.terminal.readLine({ prompt: 'PIN: ', obscure: true });
    if (r.kind !== 'line' || r.text === '') return false;
    const ok = await this.checkPin(r.text);
    this.state = SessionState.Running;
    if (!ok || !this.info) return false;
    this.level = 'tech';
    this.info.level = 'tech';
    this.stats.logins++;
    this.o.audit.record({ action: 'login', session: this.info.id, level: 'tech' });
    return true;
  }

  /** Idle or port closed: end the session from outside the loop, after any running command. */
  private end(reason: string): void {
    if (this.info) this.ending = reason;
    this.cancel?.abort();
    this.o.terminal.cancelRead(reason);
  }

  private endSession(reason: string): void {
    this.ending = null;
    if (!this.info) return;
    if (reason === 'logout') this.write('Logged out.\n');
    this.finishLogout(reason);
    this.wake();
  }

  private finishLogout(reason: string): void {
    const info = this.info;
    if (!info) return;
    this.o.audit.record({ action: 'logout', session: info.id, level: info.level, reason });
    this.info = null;
    this.level = null;
    this.clearIdle();
    this.o.terminal.editor.clearHistory(); // the next technician does not see this one's commands
    this.o.terminal.flushInput();
  }

  private armIdle(): void {
    this.clearIdle();
    if (!this.info) return;
    const ms = this.o.env.settings.idleLogoutMs;
    this.idleTimer = setTimeout(() => this.onIdle(), ms);
    this.idleTimer.unref?.();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private onIdle(): void {
    if (!this.info) return;
    this.stats.idleLogouts++;
    const idle = formatDuration(this.o.env.settings.idleLogoutMs);
    this.write(`\nNo input for ${idle}: logged out.\n`);
    this.end(`idle for ${idle}`);
  }
}
