/**
 * The technician console end to end: the technician console on a real PTY (socat) driven by a scripted
 * terminal, against the whole simulated pole (embedded broker, LED board on its own PTY, SQLite on
 * disk). Lockout base time is shortened to 2 s (production: 60 s); idle logout is shortened live with
 * `config set` (production: 600 s).
 */
import { noticeOnScreen } from '../../display/page-model.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { displayWidth } from '../../protocols/console/text-width.js';
import { DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH } from '../../simulator/pole-config.js';
import { ConsoleClient, PROMPT, screenOf } from '../helpers/console-client.js';
import { startConsoleSim, type ConsoleSim } from '../helpers/console-sim.js';
import { until } from '../helpers/sim-process.js';
import { decodePng } from '../helpers/png.js';

const Iso = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
const Ok = <T extends z.ZodType>(result: T) => z.strictObject({ ok: z.literal(true), status: z.literal(0), command: z.string(), result });
const Err = (code: string, status: number) => z.strictObject({ ok: z.literal(false), status: z.literal(status), command: z.string().nullable(), error: z.strictObject({ code: z.literal(code), message: z.string().min(5) }) });
const NotFitted = Err('SP_CMD_NOT_FITTED', 4);

describe('technician console end to end (real PTY, whole simulated pole)', () => {
  let t: ConsoleSim;
  let c: ConsoleClient;
  let noticeId = '';

  beforeAll(async () => {
    t = await startConsoleSim({ lockoutBaseSec: 2, lockoutMaxSec: 8 });
    c = await ConsoleClient.open(t.sim.console.path);
    await until(() => t.sim.pole?.health.snapshot().led?.status === 'ok', 10_000, 'LED board ready');
    await until(() => t.sim.pole?.services.uplink.mqtt.connected, 10_000, 'MQTT connected');
    // The field-bus units have answered their first polls.
    await until(() => ['lamp', 'pads', 'charger', 'fieldbus'].every((d) => t.sim.pole?.health.snapshot()[d]?.status === 'ok'), 15_000, 'field-bus units ok');
  });

  afterAll(async () => {
    await c?.close();
    await t?.stop();
  });

  it('logs in with the development PIN: banner with the pole id, PIN obscured, tech prompt', async () => {
    const shown = screenOf(await c.login(DEV_CONSOLE_PIN));
    expect(shown.some((l) => /^smartpole \d+\.\d+\.\d+ · pole WH-JA-0001 · 武汉市江岸区澳门路$/.test(l))).toBe(true);
    expect(shown).toContain('PIN: ******');
    expect(shown.join('\n')).not.toContain(DEV_CONSOLE_PIN);
    expect(shown).toContain('Logged in as tech. Type help for commands, selftest to check every device. Idle logout after 10 min.');
    expect(shown.at(-1)).toBe('tech@WH-JA-0001>');
    await until(() => t.audit.some((a) => a.action === 'login' && a.level === 'tech'), 5000, 'login audit record');
  });

  it('status and selftest tell a newcomer what is there and what is not', async () => {
    const status = await c.run('status');
    expect(status).toMatch(/^Pole\s+WH-JA-0001 · 武汉市江岸区澳门路$/m);
    expect(status).toMatch(/^MQTT\s+connected to mqtt:\/\/127\.0\.0\.1:\d+ for /m);
    expect(status).toMatch(/^led\s+ok\s+board ready: 480x800, firmware /m);
    expect(status).toMatch(/^modem\s+absent\s+not fitted: no 5G modem on this pole/m);
    const st = await c.run('selftest');
    expect(st).toMatch(/^CHECK\s+RESULT\s+TIME\s+WHAT WAS FOUND$/m);
    expect(st).toMatch(/^led\s+PASS\s+\d+ ms\s+board acknowledged in/m);
    expect(st).toMatch(/^touch\s+PASS\s+\d+ ms\s+serial device open;/m); // the sim fits an eGalax panel
    expect(st).toMatch(/^mqtt\s+PASS/m);
    expect(st).toMatch(/^14 checks: \d+ PASS, 0 FAIL, \d+ SKIP\. No failures\.$/m);
    for (const l of st.split('\n')) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });

  it('pushes a notice so the notice commands have something to show, while the board keeps presenting', async () => {
    const key = loadSigningKey(t.sim.info.keyFile);
    noticeId = `e2e-console-${Date.now()}`;
    const presentsBefore = t.sim.board.stats.presents;
    const payload = { type: 'notice', audience: 'all', id: noticeId, version: 1, issuedAt: isoWithOffset(Date.now() - 1000), priority: 'high', title: { zh: '澳门路施工提示' }, body: { zh: '12月1日至3日夜间施工，请绕行。' } };
    await t.watcher.publishAsync(`smartpole/v1/notices/all/${noticeId}`, JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey)), { qos: 1, retain: true });
    // A technician works on the console meanwhile.
    for (let i = 0; i < 3; i++) expect(await c.run('status')).toMatch(/^Pole/);
    await until(() => noticeOnScreen(t.sim.pole?.page())?.id === noticeId, 10_000, 'notice on the page');
    await until(() => t.sim.board.stats.presents > presentsBefore, 10_000, 'board presents the notice');
  });

  const commands: [cmd: string, human: RegExp | null, json: z.ZodType][] = [
    ['time', /^Local time\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00 \(Asia\/Shanghai\)/, Ok(z.strictObject({ local: Iso, utc: z.string(), timeZone: z.literal('Asia/Shanghai'), offset: z.literal('+08:00'), uptimeSec: z.number().int(), clockSane: z.literal(true) }))],
    ['status', /^Alarms\s+none$/m, Ok(z.object({
      poleId: z.literal('WH-JA-0001'), software: z.string(), time: Iso, uptimeSec: z.number(), network: z.array(z.object({ iface: z.string(), address: z.string() })),
      mqtt: z.object({ state: z.literal('connected'), url: z.string(), connectedForSec: z.number() }), outbox: z.object({ depth: z.number().int() }),
      notices: z.object({ active: z.number().int().min(1), onScreen: z.string().nullable() }), alarms: z.array(z.unknown()).length(0),
      devices: z.record(z.string(), z.object({ status: z.enum(['ok', 'degraded', 'down', 'absent']), detail: z.string() })),
    }))],
    ['selftest', /^SKIP = not fitted/m, Ok(z.object({
      poleId: z.string(), startedAt: Iso, pass: z.number().int().min(8), fail: z.literal(0), skip: z.number().int(),
      checks: z.array(z.strictObject({ name: z.string(), result: z.enum(['PASS', 'FAIL', 'SKIP']), reason: z.string().min(3), durationMs: z.number() })).length(14),
    }))],
    ['led status', /^Link\s+ready$/m, Ok(z.object({ state: z.literal('ready'), path: z.string(), panel: z.object({ width: z.literal(480), height: z.literal(800), pixelFormat: z.literal('RGB565') }), firmware: z.string(), presenter: z.object({ presented: z.number().int().min(1) }), link: z.object({ framesSent: z.number() }), serial: z.object({ opens: z.number() }) }))],
    ['led test red --seconds 1', /^Pattern done; the normal screen is back\.$/m, Ok(z.object({ pattern: z.literal('red'), seconds: z.literal(1) }))],
    ['led brightness 50', /^Brightness set to 50%\.$/m, Ok(z.object({ brightnessPct: z.literal(50) }))],
    ['led brightness 150', /^ERR SP_CONSOLE_BAD_ARGS brightness is a whole percent, 0–100$/, Err('SP_CONSOLE_BAD_ARGS', 2)],
    ['touch status', /^state\s+idle$/m, Ok(z.object({ state: z.literal('idle'), open: z.literal(true), calibration: z.array(z.number().int()).length(7), packets: z.number().int() }))],
    ['modem status', /^ERR SP_CMD_NOT_FITTED modem: not fitted — no 5G modem/, NotFitted],
    ['modem signal', /^ERR SP_CMD_NOT_FITTED/, NotFitted],
    ['modem at AT+CSQ', /^ERR SP_CMD_NOT_FITTED/, NotFitted],
    ['modem at AT+CFUN=0', /^ERR SP_CONSOLE_NEEDS_FORCE AT\+CFUN changes the radio function or resets the modem: add --force if you mean it$/, Err('SP_CONSOLE_NEEDS_FORCE', 3)],
    // The simulated pole has its field bus: lamp, charger and pads answer for real.
    ['lamp status', /(program|photocell|default|override)/, Ok(z.object({ online: z.literal(true), level: z.number(), reason: z.enum(['program', 'photocell', 'default', 'override']), photocell: z.object({ state: z.string() }) }))],
    ['lamp set 50 30', /^Lamp set to 50% until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+08:00\.$/, Ok(z.object({ levelPct: z.literal(50), until: Iso, reply: z.object({ level: z.literal(50), reason: z.literal('override') }) }))],
    ['lamp resume', /^Lamp back on its schedule\.$/, Ok(z.object({ resumed: z.literal(true), reply: z.object({ reason: z.enum(['program', 'photocell', 'default']) }) }))],
    ['charger status', /Available/, Ok(z.object({ connectors: z.array(z.object({ id: z.literal(1), status: z.literal('Available') })).length(1), tariff: z.object({ currency: z.literal('CNY') }) }))],
    ['charger stop 1', /^ERR SP_CHARGER_NO_SESSION/, Err('SP_CHARGER_NO_SESSION', 1)],
    ['charger enable', /^Charging enabled\.$/, Ok(z.object({ enabled: z.literal(true), reply: z.object({ status: z.literal('Accepted') }) }))],
    ['charger disable 2', /^ERR SP_CHARGER_UNKNOWN_CONNECTOR/, Err('SP_CHARGER_UNKNOWN_CONNECTOR', 1)],
    ['pads status', /Pad|PAD|pad/, Ok(z.object({ online: z.literal(true), pads: z.array(z.object({ pad: z.number().int() })).length(2) }))],
    ['pads set 1 on', /^Pad 1 switched on\.$/, Ok(z.object({ pad: z.literal(1), on: z.literal(true) }))],
    ['mqtt status', /^State\s+connected$/m, Ok(z.object({ state: z.literal('connected'), url: z.string(), clientId: z.literal('WH-JA-0001'), protocolVersion: z.literal(4), keepaliveSec: z.number(), tls: z.literal(false), connectedSince: Iso, connects: z.number().min(1), published: z.number(), received: z.number(), lastError: z.null(), bdSeq: z.number(), outboxDepth: z.number() }))],
    ['notices list', /澳门路施工提示/, Ok(z.object({ notices: z.array(z.object({ id: z.string(), issuer: z.string(), version: z.number(), priority: z.enum(['emergency', 'high', 'normal', 'low']), state: z.string(), title: z.object({ zh: z.string() }), validFrom: Iso, receivedAt: Iso })).min(1), hidden: z.number().int() }))],
    ['notices show e2e-console', /^Title\s+澳门路施工提示$/m, Ok(z.object({ id: z.string().startsWith('e2e-console-'), priority: z.literal('high'), state: z.enum(['playing', 'active']), body: z.object({ zh: z.literal('12月1日至3日夜间施工，请绕行。') }), firstDisplayedAt: Iso.nullable() }))],
    ['notices show nope', /^ERR SP_CONSOLE_NOT_FOUND no notice "nope"/, Err('SP_CONSOLE_NOT_FOUND', 2)],
    ['outbox status', /^CLASS\s+WAITING\s+DROPPED FIRST WHEN FULL\?$/m, Ok(z.object({ depth: z.number().int(), bytes: z.number().int(), oldestAgeSec: z.number().nullable(), byClass: z.record(z.string(), z.number()), sinceStart: z.object({ enqueued: z.number(), acked: z.number(), dropped: z.number() }), mqttState: z.literal('connected') }))],
    ['log tail 5 --level info', /^Times in Asia\/Shanghai \(\+08:00\); 5 lines at info and above:$/m, Ok(z.object({ lines: z.array(z.object({ level: z.number().min(30), time: z.string(), msg: z.string() })).length(5), timeZone: z.literal('Asia/Shanghai') }))],
    ['config show devices.console', /^ {2}pinHash: "\[redacted\]"$/m, Ok(z.object({ key: z.literal('devices.console'), value: z.object({ pinHash: z.literal('[redacted]'), idleLogoutSec: z.literal(600) }), file: z.string(), pendingRestart: z.array(z.unknown()) }))],
    ['config set devices.console.color false', /^Saved to .*pole\.yaml and applied now\.$/m, Ok(z.object({ key: z.literal('devices.console.color'), after: z.literal(false), live: z.literal(true), restartNeeded: z.literal(false) }))],
    ['config set screen.idleTimeoutSec 5', /^ERR SP_CONSOLE_CONFIG_INVALID not saved: screen\.idleTimeoutSec: Too small/, Err('SP_CONSOLE_CONFIG_INVALID', 2)],
    ['help', /^status\s+one screen: versions/m, Ok(z.object({ level: z.literal('tech'), commands: z.array(z.object({ name: z.string(), summary: z.string(), level: z.enum(['guest', 'tech']) })).min(19) }))],
    ['led --help', /^led status \| test \| brightness \| snapshot$/m, Ok(z.object({ command: z.literal('led'), usage: z.string(), subcommands: z.array(z.object({ name: z.string() })).length(4), flags: z.array(z.object({ name: z.string() })) }))],
    ['help lamp set', /^lamp set <level 0-100> \[minutes\]$/m, Ok(z.object({ command: z.literal('lamp set') }))],
    ['color', /^Colour is off for this session\.$/, Ok(z.strictObject({ color: z.literal(false) }))],
    ['reboot', null, Err('SP_CONSOLE_CONFIRM', 3)],
    ['bogus', /^ERR SP_CONSOLE_UNKNOWN no command "bogus"; type help for the list$/, Err('SP_CONSOLE_UNKNOWN', 2)],
    ['stauts', /^ERR SP_CONSOLE_UNKNOWN no command "stauts"; did you mean status\?$/, Err('SP_CONSOLE_UNKNOWN', 2)],
    ['s', /^ERR SP_CONSOLE_AMBIGUOUS "s" could be: status, selftest, sign$/, Err('SP_CONSOLE_AMBIGUOUS', 2)],
    ['led status extra', /^ERR SP_CONSOLE_BAD_ARGS unexpected "extra"; usage: led status$/, Err('SP_CONSOLE_BAD_ARGS', 2)],
    ['log tail --colour', /^ERR SP_CONSOLE_BAD_ARGS log tail: unknown flag --colour/, Err('SP_CONSOLE_BAD_ARGS', 2)],
  ];

  it('every command answers readably and with one JSON line that matches its schema', async () => {
    for (const [cmd, human, schema] of commands) {
      if (human) { // (reboot would ask to confirm: only its --json form runs here)
        const text = await c.run(cmd);
        expect(text, cmd).toMatch(human);
        // Tables and fields fit 80 columns; an ERR is one line however long; logs and YAML wrap.
        if (!/^(log|config show|notices show)/.test(cmd)) for (const l of text.split('\n').filter((x) => !x.startsWith('ERR '))) expect(displayWidth(l), `${cmd}: ${l}`).toBeLessThanOrEqual(80);
      }
      const j = await c.json(cmd);
      const r = schema.safeParse(j);
      expect(r.success, `${cmd} --json: ${r.success ? '' : r.error.message}\n${JSON.stringify(j).slice(0, 500)}`).toBe(true);
    }
  });

  it('abbreviations resolve at every level', async () => {
    expect(await c.run('sta')).toMatch(/^Pole/);
    expect(await c.run('le st')).toMatch(/^Link\s+ready/);
    expect((await c.json('ou')).command).toBe('outbox status');
    expect((await c.json('no l')).command).toBe('notices list');
  });

  it('led snapshot saves the board\'s picture as a PNG and prints its path and SHA-256', async () => {
    const j = await c.json<{ result: { path: string; sha256: string; width: number; height: number; bytes: number } }>('led snapshot');
    const png = readFileSync(j.result.path);
    expect(createHash('sha256').update(png).digest('hex')).toBe(j.result.sha256);
    expect(png.length).toBe(j.result.bytes);
    const mine = await decodePng(png);
    const board = await decodePng(t.sim.board.screenPng());
    expect([mine.width, mine.height]).toEqual([480, 800]);
    expect(Buffer.from(mine.data).equals(Buffer.from(board.data))).toBe(true);
    const human = await c.run('led snapshot');
    expect(human).toMatch(/^SHA-256\s+[0-9a-f]{64}$/m);
    expect(human).toMatch(/^Image\s+480x800 px PNG, \d+ KiB$/m);
  });

  it('line-editing keys work when split across reads', async () => {
    const send = async (pieces: (string | Uint8Array)[]) => { c.skip(); await c.sendPieces(pieces); return screenOf(await c.expect(PROMPT)); };
    // BS (0x08) and DEL (0x7f), with the word split over reads
    let s = await send(['ledd', '\x08', ' st', '\x7f', '\x7f', 'sta', 'tus', '\r']);
    expect(s[0]).toBe('led status');
    expect(s).toContain('Link           ready');
    // CR and LF of one CRLF in different reads: one Enter, one prompt
    s = await send(['time', '\r', '\n']);
    expect(s.filter((l) => PROMPT.test(l + ' ')).length).toBe(1);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.pending).toBe('');
    // history: ESC [ A split into three reads recalls "time"
    s = await send(['\x1b', '[', 'A', '\r']);
    expect(s[0]).toBe('time');
    expect(s[1]).toMatch(/^Local time/);
    // cursor keys split mid-sequence, then insert in the middle
    s = await send(['tme', '\x1b', '[D', '\x1b[', 'D', 'i', '\x1bO', 'F', '\r']);
    expect(s[0]).toBe('time');
    expect(s[1]).toMatch(/^Local time/);
    // Ctrl-U clears what was typed
    s = await send(['garbage here', '\x15', 'tim', 'e\r']);
    expect(s.at(-2)).toMatch(/^Runtime up/);
    // Tab completes a unique prefix
    s = await send(['ti', '\t', '\r']);
    expect(s[0]).toBe('time');
    // a UTF-8 character split between reads
    s = await send(['notices show ', Uint8Array.of(0xe6), Uint8Array.of(0xad, 0xa6), '\r']);
    expect(s[1]).toBe('ERR SP_CONSOLE_NOT_FOUND no notice "武"; notices list --all shows every id');
    // Ctrl-C at the prompt abandons the line
    s = await send(['stat', '\x03']);
    expect(s[0]).toBe('stat^C');
    expect(await c.run('time')).toMatch(/^Local time/);
  });

  it('calibrates the touch panel: crosses on the public screen, presses through the simulated panel, saved and used', async () => {
    const running = c.run('touch calibrate --yes', 60_000);
    // tslib's targets on 480×800, in the order the console shows them.
    const targets = [[50, 50], [430, 50], [430, 750], [50, 750], [240, 400]] as const;
    for (const [i, [x, y]] of targets.entries()) {
      await until(() => {
        const p = t.sim.pole?.page();
        return p?.page === 'calibration' && p.target.index === i + 1;
      }, 15_000, `calibration cross ${i + 1}`);
      await t.sim.touch.touch('tap', x, y);
    }
    const out = await running;
    expect(out).toMatch(/^Fit error\s+at most \d+(\.\d)? px$/m);
    // The simulated glass reports exactly what the configured calibration maps back, so the fit recovers it.
    const cal = t.sim.pole!.services.screen.touch!.calibration;
    expect(cal[6]).toBe(65536);
    expect(Math.abs(cal[0] - 2016)).toBeLessThan(40);
    expect(readFileSync(t.sim.configFile, 'utf8')).toMatch(/calibration:/);
    await until(() => t.sim.pole?.page()?.page === 'attract', 5_000, 'the normal screen back');
  });

  it('audits every tech command to MQTT, with secrets redacted', async () => {
    expect(await c.run(`config set devices.console.pinHash ${DEV_CONSOLE_PIN_HASH}`)).toMatch(/^devices\.console\.pinHash: \[redacted\] → \[redacted\]/);
    await until(() => t.audit.some((a) => a.command === 'config set devices.console.pinHash [redacted]'), 5000, 'redacted audit record');
    // A password inside a value is redacted too, even when the value is refused (runtime/config/secrets.ts).
    expect(await c.run('config set mqtt.url ftp://ops:urlpass9@broker')).toMatch(/^ERR SP_/);
    await until(() => t.audit.some((a) => a.command === 'config set mqtt.url ftp://ops:[redacted]@broker'), 5000, 'URL password redacted in the audit');
    expect(JSON.stringify(t.audit)).not.toContain('urlpass9');
    const rec = t.audit.find((a) => a.command === 'led status')!;
    expect(rec).toMatchObject({ type: 'audit', poleId: 'WH-JA-0001', source: 'console', action: 'command', level: 'tech', ok: true });
    expect(rec.at).toMatch(/\+08:00$/);
    expect(t.audit.find((a) => a.command === 'modem at AT+CFUN=0')).toMatchObject({ ok: false, code: 'SP_CONSOLE_NEEDS_FORCE' });
    expect(JSON.stringify(t.audit)).not.toContain(DEV_CONSOLE_PIN_HASH.split('$')[5]);
    // unknown commands ran nothing, so there is nothing to audit
    expect(t.audit.some((a) => String(a.command).startsWith('bogus'))).toBe(false);
  });

  it('a wrong PIN is refused with the tries left; 5 lock PIN entry, each lockout doubles, with an MQTT event', async () => {
    c.skip();
    await c.send('logout\r');
    await c.expect('Press Enter to log in.');
    await c.send('\r');
    await c.expect('PIN: ');
    const wrong = async (n: number) => {
      let out = '';
      for (let i = 0; i < n; i++) { await c.send('999999\r'); out += await c.expect('PIN: ', 15_000); }
      return screenOf(out).join('\n');
    };
    expect(await wrong(1)).toMatch(/Wrong PIN\. 4 more tries before PIN entry locks\. \(SP_CONSOLE_WRONG_PIN\)/);
    expect(await wrong(4)).toMatch(/Wrong PIN\. PIN entry locked for 2\.0 s after 5 wrong PINs \(lockout 1; each further lockout doubles\)\. Guest access still works\. \(SP_CONSOLE_LOCKOUT\)/);
    // Even the right PIN is refused while locked, and that does not count as a try.
    await c.send(`${DEV_CONSOLE_PIN}\r`);
    expect(screenOf(await c.expect('PIN: ')).join(' ')).toMatch(/Locked: PIN entry refused for \d.\d s more .* \(SP_CONSOLE_LOCKED\)/);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await wrong(5)).toMatch(/PIN entry locked for 4\.0 s after 5 wrong PINs \(lockout 2;/);
    await until(() => t.events.filter((e) => e.code === 'SP_CONSOLE_LOCKOUT').length >= 2, 5000, 'two lockout events');
    const ev = t.events.filter((e) => e.code === 'SP_CONSOLE_LOCKOUT');
    expect(ev.map((e) => e.lockoutSec)).toEqual([2, 4]);
    expect(ev[0]).toMatchObject({ type: 'event', severity: 'security', poleId: 'WH-JA-0001', wrongPins: 5, lockouts: 1 });
    // Guest access still works while locked.
    await c.send('\r');
    expect(await c.expect(PROMPT)).toMatch(/Logged in as guest/);
    expect(await c.run('led status')).toMatch(/^ERR SP_CONSOLE_FORBIDDEN/);
    c.skip();
    await c.send('logout\r');
    await c.expect('Press Enter to log in.');
    await new Promise((r) => setTimeout(r, 4100));
    await c.login(DEV_CONSOLE_PIN);
    expect(t.sim.pole!.services.console.service!.env.lockout.snapshot).toMatchObject({ failures: 0, lockouts: 0 });
  });

  it('logs out after the idle time (shortened live with config set)', async () => {
    expect(await c.run('config set devices.console.idleLogoutSec 1')).toMatch(/applied now/);
    const out = screenOf(await c.expect('Press Enter to log in.', 10_000));
    expect(out).toContain('No input for 1.0 s: logged out.');
    await until(() => t.audit.some((a) => a.action === 'logout' && a.reason === 'idle for 1.0 s'), 5000, 'idle logout audit');
    await c.login(DEV_CONSOLE_PIN);
    expect(await c.run('config set devices.console.idleLogoutSec 600')).toMatch(/applied now/);
  });

  it('survives the service cable being pulled: the session ends (audited), the port reopens, login works again', async () => {
    const dev = t.sim.devices.get('console')!;
    await dev.faults.unplug!.run({});
    await until(() => t.sim.pole?.health.snapshot().console?.status === 'down', 10_000, 'console health down');
    await until(() => t.audit.some((a) => a.action === 'logout' && String(a.reason).startsWith('port closed')), 10_000, 'logout audited');
    await c.close();
    await dev.faults.replug!.run({});
    await until(() => t.sim.pole?.health.snapshot().console?.status === 'ok', 15_000, 'console port reopened');
    c = await ConsoleClient.open(t.sim.console.path);
    await c.login(DEV_CONSOLE_PIN);
    expect(await c.run('time')).toMatch(/^Local time/);
    expect(t.sim.pole!.health.snapshot().led!.status).toBe('ok');
  });

  it('reboot restarts the runtime; changes that needed a restart apply; the console comes back', async () => {
    expect(await c.run('config set log.level debug')).toMatch(/Takes effect after a restart: type reboot\./);
    expect(await c.run('config show log')).toMatch(/log\.level: info now → debug after restart/);
    const before = t.sim.pole;
    c.skip();
    await c.send('reboot\r');
    await c.expect('Type yes to restart: ');
    await c.send('yes\r');
    await c.expect('Restarting the runtime');
    await c.expect('Press Enter to log in.', 20_000);
    await until(() => t.sim.pole !== before && t.sim.pole?.health.snapshot().led?.status === 'ok', 15_000, 'new runtime with the LED board ready');
    await c.login(DEV_CONSOLE_PIN);
    const j = await c.json<{ result: { value: { level: string }; pendingRestart: unknown[] } }>('config show log');
    expect(j.result.value.level).toBe('debug');
    expect(j.result.pendingRestart).toEqual([]);
  });
});
