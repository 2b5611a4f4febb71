/**
 * ConsoleSession on fake timers: the real ConsoleTerminal over an in-process byte port, the real
 * executor, audit (outbox in memory), PIN lockout and scrypt PIN check (docs/console.md). The
 * technician's keystrokes are fed as bytes; what the console says is read back from the port.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleTerminal } from '../../device/console/console-terminal.js';
import { poleTopics } from '../../protocols/topics.js';
import { FakeBytePort } from '../../test/helpers/byte-port.js';
import { testLogger } from '../../test/helpers/logger.js';
import { openDatabase } from '../storage/database.js';
import { KvStore } from '../storage/kv.js';
import { Outbox } from '../uplink/outbox.js';
import { Reporter } from '../uplink/reporter.js';
import { ConsoleAudit } from './audit.js';
import type { ConsoleCommand } from './command-tree.js';
import { loginModule, logoutModule } from './commands/session.js';
import type { ConsoleEnv } from './env.js';
import { CommandExecutor } from './executor.js';
import { PinLockout } from './lockout.js';
import { hashPin } from './pin.js';
import { ConsoleSession, SessionState } from './session.js';

const PIN = '2468';
/** A cheap scrypt cost for tests (the format carries N, so verification uses it). */
const PIN_HASH = await hashPin(PIN, { N: 1024 });
const IDLE_MS = 120_000;
/** Real time for scrypt, which runs in libuv's thread pool, not on a timer. */
const realSleep = ((st: typeof setTimeout) => (ms: number) => new Promise<void>((r) => st(r, ms)))(setTimeout);

const ROOTS: ConsoleCommand[] = [
  loginModule.command,
  logoutModule.command,
  { name: 'whoami', level: 'guest', summary: 'the session level', run: (ctx) => ({ result: ctx.session.level, text: `level=${ctx.session.level}` }) },
  {
    name: 'wait', level: 'tech', summary: 'runs for a minute',
    run: async () => { await new Promise((r) => setTimeout(r, 60_000)); return { result: null, text: 'waited' }; },
  },
];

const sessions: ConsoleSession[] = [];

function rig() {
  const now = () => Date.now();
  const logger = testLogger();
  const db = openDatabase(':memory:');
  const outbox = new Outbox(db, { now });
  const topics = poleTopics('smartpole/v1', 'WH-JA-0001', []);
  const reporter = new Reporter({ outbox, topics, poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger, now });
  const lockout = new PinLockout(new KvStore(db), { maxAttempts: 3, baseMs: 60_000, maxMs: 3_600_000, now, mono: now });
  // The session and these commands use only these members of the console's environment.
  const env = {
    poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', address: '澳门路', softwareVersion: '0.0.0-test', startedAt: now(), now,
    consoleSettings: () => ({ maxPinAttempts: 3 }), settings: { idleLogoutMs: IDLE_MS, color: false }, lockout, logger,
  } as unknown as ConsoleEnv;
  const port = new FakeBytePort('/fake/ttyS1');
  const terminal = new ConsoleTerminal({ serial: port.asSerial(), logger });
  const audit = new ConsoleAudit({ outbox, topic: topics.audit, poleId: env.poleId, timeZone: env.timeZone, port: port.path, logger, now });
  const executor = new CommandExecutor({ roots: () => ROOTS, env, audit, logger });
  let pinHash: string | undefined = PIN_HASH;
  const session = new ConsoleSession({ terminal, env, executor, audit, reporter, roots: () => ROOTS, logger, pinHash: () => pinHash });
  sessions.push(session);
  session.start();
  let read = 0;
  /** Console output since the last call. */
  const said = () => { const all = port.written().toString('utf8'); const s = all.slice(read); read = all.length; return s; };
  /** Types keys, then lets the console (and a PIN check in the thread pool) answer. */
  const type = async (keys: string) => {
    port.feed(Buffer.from(keys, 'utf8'));
    for (let i = 0; i < 1000; i++) {
      await vi.advanceTimersByTimeAsync(0);
      if (session.state !== SessionState.Verifying) break;
      await realSleep(5);
    }
    await vi.advanceTimersByTimeAsync(0);
  };
  const records = (): (Record<string, unknown> & { topic: string })[] => outbox.next(0, 1000).map((r) => ({ topic: r.topic, ...(JSON.parse(r.payload.toString()) as Record<string, unknown>) }));
  const audits = () => records().filter((r) => r.type === 'audit').map((r) => [r.action, r.level, r.command ?? r.reason ?? null]);
  return { port, terminal, session, said, type, records, audits, setPinHash: (h: string | undefined) => { pinHash = h; } };
}

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2026-11-27T10:30:00+08:00'));
});
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.stop();
  vi.useRealTimers();
});

describe('ConsoleSession', () => {
  it('wakes on Enter, logs a guest in on an empty PIN, refuses tech commands, and raises to tech with login', async () => {
    const { session, said, type, audits } = rig();
    await vi.advanceTimersByTimeAsync(0);
    expect(said()).toContain('Press Enter to log in');
    expect(session.state).toBe(SessionState.Asleep);
    await type('\r');
    expect(session.state).toBe(SessionState.Pin);
    expect(said()).toContain('PIN: ');
    await type('\r');
    expect(session.state).toBe(SessionState.Ready);
    expect(session.level).toBe('guest');
    expect(said()).toContain('guest@WH-JA-0001> ');
    await type('whoami\r');
    expect(said()).toContain('level=guest');
    await type('wait\r');
    expect(said()).toContain('ERR SP_CONSOLE_FORBIDDEN');
    await type('login\r');
    expect(said()).toContain('PIN: ');
    await type(`${PIN}\r`);
    const out = said();
    expect(out).not.toContain(PIN); // the PIN is never echoed
    expect(out).toContain('Now at the tech level');
    expect(session.level).toBe('tech');
    expect(said() + (await type('whoami\r'), said())).toContain('level=tech');
    // The guest login waits for the interval's summary; the tech login and command are records at once.
    expect(audits()).toEqual([['login', 'tech', null], ['command', 'tech', 'whoami']]);
  });

  it('locks PIN entry after maxPinAttempts wrong PINs, reports it, refuses even the right PIN, and lets it in after the lockout', async () => {
    const { session, said, type, records } = rig();
    await type('\r');
    for (let i = 1; i <= 3; i++) await type('0000\r');
    const out = said();
    expect(out).toContain('Wrong PIN. 2 more tries');
    expect(out).toContain('Wrong PIN. 1 more try ');
    expect(out).toContain('(SP_CONSOLE_LOCKOUT)');
    expect(session.stats).toMatchObject({ wrongPins: 3, lockouts: 1 });
    const events = records().filter((r) => r.code === 'SP_CONSOLE_LOCKOUT');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'security', port: '/fake/ttyS1', wrongPins: 3, lockoutSec: 60 });
    await type(`${PIN}\r`);
    expect(said()).toContain('(SP_CONSOLE_LOCKED)');
    expect(session.state).toBe(SessionState.Pin);
    await vi.advanceTimersByTimeAsync(61_000);
    await type(`${PIN}\r`);
    expect(session.state).toBe(SessionState.Ready);
    expect(session.level).toBe('tech');
  });

  it('logs out after idleLogout without input; typing keeps the session alive', async () => {
    const { session, said, type, audits } = rig();
    await type('\r');
    await type(`${PIN}\r`);
    expect(session.level).toBe('tech');
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1000);
    await type('who'); // keys without Enter are activity too
    await vi.advanceTimersByTimeAsync(IDLE_MS - 1000);
    expect(session.level).toBe('tech');
    said();
    await vi.advanceTimersByTimeAsync(1500);
    expect(said()).toContain('No input for 2 min: logged out.');
    expect(session.state).toBe(SessionState.Asleep);
    expect(session.level).toBeNull();
    expect(session.stats.idleLogouts).toBe(1);
    expect(audits().at(-1)).toEqual(['logout', 'tech', 'idle for 2 min']);
  });

  it('Ctrl-C cancels the running command and returns to the prompt; logout ends the session and forgets the history', async () => {
    const { session, said, type, audits } = rig();
    await type('\r');
    await type(`${PIN}\r`);
    said();
    await type('wait\r');
    expect(session.state).toBe(SessionState.Running);
    await type('\x03');
    const out = said();
    expect(out).toContain('ERR SP_CONSOLE_CANCELLED');
    expect(out).toContain('tech@WH-JA-0001> ');
    expect(session.state).toBe(SessionState.Ready);
    await type('\x1b[A'); // ↑ recalls this session's command
    expect(said()).toContain('wait');
    await type('\x03'); // Ctrl-C at the prompt drops the line
    await type('logout\r');
    expect(said()).toContain('Logged out.');
    expect(session.state).toBe(SessionState.Asleep);
    // The next technician's ↑ finds nothing of this session.
    await type('\r');
    await type('\r');
    said();
    await type('\x1b[A');
    expect(said()).not.toMatch(/wait|logout/);
    expect(audits().map((a) => a[0])).toEqual(['login', 'command', 'command', 'logout']);
    expect(audits()[3]).toEqual(['logout', 'tech', 'logout']);
  });

  it('a Ctrl-C typed right behind Enter cancels the command before it starts; the next prompt starts clean', async () => {
    const { session, said, type } = rig();
    await type('\r');
    await type(`${PIN}\r`);
    said();
    await type('wait\r\x03');
    expect(said()).toContain('ERR SP_CONSOLE_CANCELLED');
    expect(session.state).toBe(SessionState.Ready);
    // The cancel belonged to that command only: the next one runs (whoami answers at once).
    await type('whoami\r');
    expect(said()).toContain('level=tech');
  });

  it('ends the session when the port closes and greets the next technician when it reopens', async () => {
    const { port, session, said, type, audits } = rig();
    await type('\r');
    await type('\r');
    expect(session.level).toBe('guest');
    port.close('unplugged');
    await vi.advanceTimersByTimeAsync(0);
    expect(session.state).toBe(SessionState.Asleep);
    expect(session.level).toBeNull();
    expect(audits()).toEqual([]); // a guest session is counted, not recorded on its own
    said();
    port.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(said()).toContain('Press Enter to log in');
  });

  it('sends guest logins as one summary record per interval; tech logins and commands stay one record each', async () => {
    const { session, type, records, audits } = rig();
    for (let i = 0; i < 5; i++) {
      await type('\r');
      await type('\r');
      expect(session.level).toBe('guest');
      await vi.advanceTimersByTimeAsync(60_000);
      await type('logout\r');
    }
    await type('\r');
    await type(`${PIN}\r`);
    await type('whoami\r');
    expect(audits()).toEqual([['login', 'tech', null], ['command', 'tech', 'whoami']]);
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    const summaries = records().filter((r) => r.action === 'guest-logins');
    expect(summaries).toEqual([expect.objectContaining({ topic: 'smartpole/v1/poles/WH-JA-0001/audit', type: 'audit', level: 'guest', count: 5, first: '2026-11-27T10:30:00.000+08:00', last: '2026-11-27T10:34:00.000+08:00' })]);
    // The next interval starts with the next guest login.
    await type('logout\r');
    await type('\r');
    await type('\r');
    await vi.advanceTimersByTimeAsync(15 * 60_000);
    expect(records().filter((r) => r.action === 'guest-logins').map((r) => r.count)).toEqual([5, 1]);
    expect(records().filter((r) => r.type === 'audit')).toHaveLength(5);
  });

  it('says so when no PIN is configured, and still lets a guest in', async () => {
    const { session, said, type, setPinHash } = rig();
    setPinHash(undefined);
    await type('\r');
    await type('1234\r');
    expect(said()).toContain('(SP_CONSOLE_NO_PIN)');
    expect(session.state).toBe(SessionState.Pin);
    await type('\r');
    expect(session.level).toBe('guest');
  });
});
