/**
 * `modem status | signal | at <command>` (docs/console.md §Commands), through the modem service's
 * registered commands `modem.status`, `modem.signal`, `modem.at {command, timeoutMs}`. The AT
 * passthrough is refused while a recovery runs (the port belongs to the recovery), and commands
 * that can take the pole offline need --force (protocols/console/at-policy.ts).
 */
import { classifyAt, redactAt } from '../../../protocols/console/at-policy.js';
import type { ConsoleEnv } from '../env.js';
import { consoleError } from '../errors.js';
import { renderGeneric } from '../render.js';
import type { SelfCheck } from '../selftest.js';
import { callDevice, hasDeviceCommand, notConfigured } from './device-call.js';
import type { ConsoleModule } from './module.js';

const AT_TIMEOUT_DEFAULT_S = 10;

/** True while the modem service says it is recovering (health `state` or `recovering`). */
export function modemRecovering(env: ConsoleEnv): boolean {
  const h = env.health.snapshot().modem;
  return !!h && (h.recovering === true || (typeof h.state === 'string' && /recover|reset|power-?cycl/i.test(h.state)));
}

/** The AT reply as lines, whatever shape the modem service returns. */
function replyLines(r: unknown): string[] {
  if (Array.isArray(r)) return r.map(String);
  if (r && typeof r === 'object') {
    const o = r as { lines?: unknown; final?: unknown };
    if (Array.isArray(o.lines)) return [...o.lines.map(String), ...(typeof o.final === 'string' ? [o.final] : [])];
  }
  return [String(r)];
}

const modemCheck: SelfCheck = {
  name: 'modem',
  timeoutMs: 8000,
  async run(env) {
    const why = notConfigured(env, 'modem');
    if (why) return { result: 'SKIP', reason: `not fitted: ${why}` };
    const h = env.health.snapshot().modem;
    if (!h && !hasDeviceCommand(env, 'modem.status')) return { result: 'SKIP', reason: 'configured, but the modem service is not in this build' };
    if (!h) return { result: 'PASS', reason: 'modem service answers (no health reported)' };
    if (h.status === 'ok') return { result: 'PASS', reason: h.detail ?? `online (${String(h.state ?? 'ok')})` };
    return { result: 'FAIL', reason: `${String(h.state ?? h.status)}: ${h.detail ?? 'no detail'}; see modem status` };
  },
};

export const modemModule: ConsoleModule = {
  checks: [modemCheck],
  command: {
    name: 'modem', level: 'tech', summary: '5G modem: status, signal, AT passthrough', defaultSub: 'status',
    subcommands: [
      {
        name: 'status', level: 'tech', summary: 'state, SIM, registration, operator, data link, recoveries',
        async run(ctx) {
          const r = await callDevice(ctx, 'modem.status', {});
          return { result: r, text: renderGeneric(r, ctx.paint) };
        },
      },
      {
        name: 'signal', level: 'tech', summary: 'access technology, band, RSRP/RSRQ/SINR, cell',
        async run(ctx) {
          const r = await callDevice(ctx, 'modem.signal', {});
          return { result: r, text: renderGeneric(r, ctx.paint) };
        },
      },
      {
        name: 'at', level: 'tech', usage: '<AT command> [--force] [--timeout S]', summary: 'send one AT command and show the reply (dangerous ones need --force)',
        args: [{ name: 'AT command', required: true, rest: true }],
        flags: [
          { name: 'force', description: 'send a command that can take the pole offline (CFUN, COPS=, CGDCONT=, QPOWD …)' },
          { name: 'timeout', value: true, description: `seconds to wait for the final result (default ${AT_TIMEOUT_DEFAULT_S}, max 180)` },
        ],
        help: [
          'Quote a command with spaces or quotes: modem at \'AT+QENG="servingcell"\'.',
          'Refused while the modem service runs a recovery (SP_CONSOLE_BUSY); reads (AT+X?) are always',
          'allowed otherwise. Every command sent is audited (SIM PINs redacted).',
        ],
        redact: (words) => words.map(redactAt),
        async run(ctx, a) {
          const line = a.positionals.join(' ');
          const v = classifyAt(line);
          if (!v.ok) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `modem at: ${v.reason}` });
          if (v.dangerous && a.flags.force !== true) throw consoleError('SP_CONSOLE_NEEDS_FORCE', { command: redactAt(line) }, { message: `${v.reason}: add --force if you mean it` });
          const timeoutS = a.flags.timeout === undefined ? AT_TIMEOUT_DEFAULT_S : Number(a.flags.timeout);
          if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 180) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: '--timeout is 1–180 seconds' });
          if (hasDeviceCommand(ctx.env, 'modem.at') && modemRecovering(ctx.env)) {
            throw consoleError('SP_CONSOLE_BUSY', { device: 'modem' }, { message: 'modem at: a modem recovery is running; try again when modem status says it is over' });
          }
          const r = await callDevice(ctx, 'modem.at', { command: line, timeoutMs: timeoutS * 1000 }, timeoutS * 1000 + 2000);
          return { result: { command: redactAt(line), reply: replyLines(r) }, text: replyLines(r) };
        },
      },
    ],
  },
};
