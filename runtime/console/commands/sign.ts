/**
 * `sign status | test on|off | brightness <percent> [minutes] | brightness auto` and the sign's
 * selftest (docs/protocols/onbon.md §11): the Onbon notice sign through its `sign.*` commands,
 * the same ones city operations run over MQTT.
 */
import { consoleError } from '../errors.js';
import { callDevice } from './device-call.js';
import { deviceStatus } from './field-bus.js';
import type { ConsoleModule } from './module.js';
import type { SelfCheck } from '../selftest.js';

/** Every Onbon screen (devices.sign, or devices.led with protocol onbon) answers and shows all its areas. */
const signCheck: SelfCheck = {
  name: 'sign',
  run(env) {
    const health = env.health.snapshot();
    const screens = (['led', 'sign'] as const).filter((n) => health[n]?.protocol === 'onbon');
    if (!screens.length) return { result: 'SKIP', reason: 'not fitted: no Onbon sign (devices.sign, or devices.led with protocol onbon)' };
    const bad = screens.filter((n) => health[n]!.status !== 'ok');
    if (bad.length) return { result: 'FAIL', reason: bad.map((n) => `${n}: ${health[n]!.status}: ${health[n]!.detail ?? ''}; see sign status`).join('; ') };
    return { result: 'PASS', reason: screens.map((n) => `${n}: ${health[n]!.detail ?? 'ok'}`).join('; ') };
  },
};

interface SignStatusView {
  screen: string; model: string; address: number; path: string; baudRate: number; card: string; test: boolean;
  size: { width: number; height: number; colours: string; fontPx: number };
  areas: { id: number; pages: number; sent: boolean }[]; pending: number[]; writes: number; bytes: number; lastError: string | null;
  brightness: { percent: number; source: string; level: number | null };
  stats: { requests: number; resends: number; timeouts: number; nacks: number; badFrames: number; recoveries: number; lastNack: string | null };
}

const AREA_NAMES = ['clock', 'notices', 'emergency', 'test'];

function view(s: SignStatusView): string[] {
  return [
    `Sign (${s.screen})  Onbon BX-${s.model} at address ${s.address}, ${s.path} ${s.baudRate} baud`,
    `Card        ${s.card}${s.test ? '  (test pattern)' : ''}`,
    `Panel       ${s.size.width}×${s.size.height} ${s.size.colours}, ${s.size.fontPx}-px rows`,
    `Areas       ${s.areas.map((a) => `${AREA_NAMES[a.id] ?? a.id} ${a.pages}p${a.sent ? '' : ' (pending)'}`).join(', ') || 'none'}`,
    `Brightness  ${s.brightness.percent}% (${s.brightness.source}) = level ${s.brightness.level ?? '–'}/15`,
    `Sent        ${s.writes} area writes, ${s.bytes} bytes; ${s.stats.resends} re-sends, ${s.stats.timeouts} timeouts, ${s.stats.nacks} NACKs, ${s.stats.recoveries} recoveries`,
    ...(s.lastError ? [`Last error  ${s.lastError}`] : []),
    ...(s.stats.lastNack ? [`Last NACK   ${s.stats.lastNack}`] : []),
  ];
}

export const signModule: ConsoleModule = {
  checks: [signCheck],
  command: {
    name: 'sign', level: 'tech', summary: 'the Onbon notice sign: status, test pattern, brightness', defaultSub: 'status',
    subcommands: [
      { name: 'status', level: 'tech', summary: 'card state, areas shown and pending, brightness, counters', run: (ctx) => deviceStatus(ctx, 'sign', view as never) },
      {
        name: 'test', level: 'tech', usage: 'on|off', summary: 'every colour then a checkerboard on the whole sign, until test off',
        args: [{ name: 'on|off', required: true }],
        async run(ctx, a) {
          const w = a.positionals[0];
          if (w !== 'on' && w !== 'off') throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'sign test on | sign test off' });
          const r = await callDevice(ctx, 'sign.test', { on: w === 'on' });
          return { result: r, text: w === 'on' ? 'Sign test pattern on (sign test off to end it).' : 'Sign back to notices.' };
        },
      },
      {
        name: 'brightness', level: 'tech', usage: '<percent 0-100> [minutes] | auto', summary: 'override the sign brightness, or back to automatic',
        args: [{ name: 'percent|auto', required: true }, { name: 'minutes' }],
        async run(ctx, a) {
          if (a.positionals[0] === 'auto') {
            const r = await callDevice(ctx, 'sign.brightness', { auto: true });
            return { result: r, text: 'Sign brightness back to automatic.' };
          }
          const percent = Number(a.positionals[0]);
          if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'brightness is a whole percent 0–100, or auto' });
          const minutes = a.positionals[1] === undefined ? 60 : Number(a.positionals[1]);
          if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'minutes is a whole number, 1–10080' });
          const r = await callDevice(ctx, 'sign.brightness', { percent, durationSec: minutes * 60 });
          return { result: r, text: `Sign brightness ${percent}% for ${minutes} min.` };
        },
      },
    ],
  },
};
