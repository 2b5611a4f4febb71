/**
 * `led status | test <pattern> | brightness <percent> | snapshot` (docs/console.md §Commands) and the
 * LED selftest. Reaches the board through LedConsolePort (runtime/led/console-port.ts). Test
 * patterns and brightness need the LED link's TEST_PATTERN and BRIGHTNESS messages: until the port
 * offers them the commands answer SP_CONSOLE_UNSUPPORTED, and SP_CMD_NOT_FITTED when no board is
 * configured.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { statusStyle } from '../../../protocols/console/ansi.js';
import { formatFields } from '../../../protocols/console/table.js';
import { formatBytes, formatCount, formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import type { Frame } from '../../../display/frame.js';
import { framePng } from '../../../display/frame-png.js';
import { commandError } from '../../commands/errors.js';
import type { RunContext } from '../command-tree.js';
import type { LedConsolePort } from '../device-ports.js';
import type { ConsoleEnv } from '../env.js';
import { consoleError } from '../errors.js';
import { withCancel } from '../render.js';
import type { SelfCheck } from '../selftest.js';
import type { ConsoleModule } from './module.js';

/** Snapshots kept in <dataDir>/snapshots; older ones are deleted so the disk never fills. */
export const SNAPSHOTS_KEPT = 20;

function port(env: ConsoleEnv): LedConsolePort {
  if (!env.led) throw commandError('SP_CMD_NOT_FITTED', { device: 'led' }, { message: 'led: not fitted — no LED board configured on this pole (devices.led)' });
  return env.led;
}

function saveSnapshot(ctx: RunContext, frame: Frame) {
  const e = ctx.env;
  const dir = join(e.dataDir, 'snapshots');
  mkdirSync(dir, { recursive: true });
  const stamp = isoInZone(e.now(), e.timeZone).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const png = framePng(frame);
  const file = join(dir, `led-${stamp}.png`);
  writeFileSync(file, png);
  const old = readdirSync(dir).filter((f) => /^led-\d{8}-\d{6}\.png$/.test(f)).sort();
  for (const f of old.slice(0, Math.max(0, old.length - SNAPSHOTS_KEPT))) rmSync(join(dir, f), { force: true });
  return { path: file, width: frame.width, height: frame.height, bytes: png.length, sha256: createHash('sha256').update(png).digest('hex') };
}

const ledCheck: SelfCheck = {
  name: 'led',
  async run(env, signal) {
    if (!env.led) return { result: 'SKIP', reason: 'no LED board configured (devices.led)' };
    const p = await env.led.probe(signal);
    return p.ok ? { result: 'PASS', reason: p.detail } : { result: 'FAIL', reason: p.reason };
  },
};

/** `env` gives Tab the board's test patterns. */
export function ledModule(env: () => ConsoleEnv | null): ConsoleModule {
  return {
    checks: [ledCheck],
    command: {
      name: 'led', level: 'tech', summary: 'LED screen driver board: status, test patterns, brightness, snapshot', defaultSub: 'status',
      subcommands: [
        {
          name: 'status', level: 'tech', summary: 'link state, panel size, firmware and link counters',
          run(ctx) {
            const s = port(ctx.env).status() as {
              state: string; path: string; serialState: string; firmware: string | null;
              panel: { width: number; height: number; pixelFormat: string; maxPayloadBytes: number } | null;
              presenter: { presented: number; failed: number; coalesced: number; fullRepaints: number; payloadBytes: number };
              link: { framesSent: number; retransmits: number; naks: number; timeouts: number; boardResets: number; rxErrors: number; bytesSent: number };
              serial: { opens: number; disconnects: number; lastError: string | null; bytesIn: number; bytesOut: number };
            };
            const p = s.panel;
            return {
              result: s,
              text: formatFields([
                ['Link', s.state, statusStyle(s.state === 'ready' ? 'ok' : 'down')],
                ['Serial device', `${s.path} (${s.serialState}; opened ${formatCount(s.serial.opens, 'time')}, lost ${formatCount(s.serial.disconnects, 'time')})`],
                ['Panel', p ? `${p.width}x${p.height} px ${p.pixelFormat}, max payload ${formatBytes(p.maxPayloadBytes)}` : 'unknown (no CAPS yet)'],
                ['Firmware', s.firmware ?? 'unknown'],
                ['Frames', `${formatCount(s.presenter.presented, 'frame')} presented, ${formatCount(s.presenter.failed, 'transfer')} failed, ${formatCount(s.presenter.fullRepaints, 'full repaint')}`],
                ['Link frames', `${formatCount(s.link.framesSent, 'frame')} sent (${formatBytes(s.link.bytesSent)}), ${formatCount(s.link.retransmits, 'retransmit')}, ${formatCount(s.link.naks, 'NAK')}, ${formatCount(s.link.timeouts, 'timeout')}`],
                ['Board resets', formatCount(s.link.boardResets, 'reset')],
                ['Last error', s.serial.lastError ?? 'none'],
              ], { paint: ctx.paint }),
            };
          },
        },
        {
          name: 'test', level: 'tech', usage: '<pattern> [--seconds N]', summary: 'show a test pattern on the board (solid colours, grey ramp, grid, module ids)',
          args: [{ name: 'pattern', required: true, values: () => [...(env()?.led?.testPatterns() ?? [])] }],
          flags: [{ name: 'seconds', value: true, description: 'how long the pattern stays (default 10 s, 1–300); Ctrl-C ends it early' }],
          async run(ctx, a) {
            const led = port(ctx.env);
            const patterns = led.testPatterns();
            if (!led.testPattern || patterns.length === 0) {
              throw consoleError('SP_CONSOLE_UNSUPPORTED', { device: 'led' }, { message: 'led test: this LED link (v1) has no test patterns; they come with the full LED protocol' });
            }
            const name = a.positionals[0]!;
            const match = patterns.filter((p) => p.startsWith(name));
            const pattern = patterns.includes(name) ? name : match.length === 1 ? match[0]! : null;
            if (!pattern) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `unknown pattern "${name}"; the board offers: ${patterns.join(', ')}` });
            const seconds = a.flags.seconds === undefined ? 10 : Number(a.flags.seconds);
            if (!Number.isFinite(seconds) || seconds < 1 || seconds > 300) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: '--seconds must be 1–300' });
            ctx.print(`Showing "${pattern}" for ${seconds} s (Ctrl-C ends it)…`);
            await withCancel(led.testPattern(pattern, seconds, ctx.signal), ctx.signal, (seconds + 10) * 1000, 'led test');
            return { result: { pattern, seconds }, text: 'Pattern done; the normal screen is back.' };
          },
        },
        {
          name: 'brightness', level: 'tech', usage: '<percent 0-100>', summary: 'set the panel brightness in percent',
          args: [{ name: 'percent', required: true }],
          async run(ctx, a) {
            const led = port(ctx.env);
            const pct = Number(a.positionals[0]);
            if (!Number.isInteger(pct) || pct < 0 || pct > 100) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: 'brightness is a whole percent, 0–100' });
            if (!led.brightness) throw consoleError('SP_CONSOLE_UNSUPPORTED', { device: 'led' }, { message: 'led brightness: this LED link (v1) has no BRIGHTNESS message; it comes with the full LED protocol' });
            await withCancel(led.brightness(pct), ctx.signal, 10_000, 'led brightness');
            return { result: { brightnessPct: pct }, text: `Brightness set to ${pct}%.` };
          },
        },
        {
          name: 'snapshot', level: 'tech', summary: 'save what the board shows as a PNG in the data directory; prints its path and SHA-256',
          help: [`Keeps the newest ${SNAPSHOTS_KEPT} snapshots in <dataDir>/snapshots (older ones are deleted).`, 'The image is what the runtime last presented and the board acknowledged.'],
          run(ctx) {
            const frame = port(ctx.env).shown();
            if (!frame) throw consoleError('SP_CONSOLE_BUSY', { device: 'led' }, { message: 'led snapshot: what the board shows is unknown right now (link down or repainting); try again in a few seconds' });
            const s = saveSnapshot(ctx, frame);
            return {
              result: { ...s, takenAt: isoInZone(ctx.env.now(), ctx.env.timeZone) },
              text: formatFields([
                ['Saved', s.path], ['Image', `${s.width}x${s.height} px PNG, ${formatBytes(s.bytes)}`], ['SHA-256', s.sha256], ['Taken', formatLocalTime(ctx.env.now(), ctx.env.timeZone)],
              ], { paint: ctx.paint }),
            };
          },
        },
      ],
    },
  };
}
