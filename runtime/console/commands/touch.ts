/**
 * `touch status | calibrate` (docs/console.md §Commands). Calibration is tslib's five-point procedure:
 * a cross is drawn on the public screen at each target, the technician presses it, the raw controller
 * coordinates are fitted (protocols/console/touch-calibration.ts), the result is saved to
 * `devices.touch.calibration` and applied at once. The touch panel service provides
 * the TouchConsolePort; without it the commands answer SP_CMD_NOT_FITTED.
 */
import { formatFields } from '../../../protocols/console/table.js';
import { calibrationTargets, solveCalibration, type CalPoint } from '../../../protocols/console/touch-calibration.js';
import type { TouchConsolePort } from '../device-ports.js';
import type { ConsoleEnv } from '../env.js';
import { ConfigEditor } from '../config-editor.js';
import { consoleError } from '../errors.js';
import { renderGeneric, withCancel } from '../render.js';
import type { SelfCheck } from '../selftest.js';
import { notConfigured, notFitted } from './device-call.js';
import type { ConsoleModule } from './module.js';

/** A fit worse than this (screen pixels) means a touch missed its cross: calibrate again. */
export const MAX_CAL_ERROR_PX = 8;
const PRESS_TIMEOUT_MS = 60_000;
const NAMES = ['top left', 'top right', 'bottom right', 'bottom left', 'centre'];

function port(env: ConsoleEnv): TouchConsolePort {
  if (!env.touch) throw notFitted(env, 'touch');
  return env.touch;
}

const touchCheck: SelfCheck = {
  name: 'touch',
  async run(env, signal) {
    if (!env.touch) {
      const why = notConfigured(env, 'touch');
      return { result: 'SKIP', reason: why ? `not fitted: ${why}` : 'configured, but the touch service is not in this build' };
    }
    if (!env.touch.check) return { result: 'PASS', reason: 'touch service running (no active check offered)' };
    const r = await env.touch.check(signal);
    return { result: r.ok ? 'PASS' : 'FAIL', reason: r.detail };
  },
};

export const touchModule: ConsoleModule = {
  checks: [touchCheck],
  command: {
    name: 'touch', level: 'tech', summary: 'touch panel: status, guided 5-point calibration', defaultSub: 'status',
    subcommands: [
      {
        name: 'status', level: 'tech', summary: 'controller state, calibration in use, touch counters',
        run(ctx) {
          const s = port(ctx.env).status();
          return { result: s, text: renderGeneric(s, ctx.paint) };
        },
      },
      {
        name: 'calibrate', level: 'tech', usage: '[--yes]', summary: 'guided calibration: press 5 crosses on the screen; saved to config',
        flags: [{ name: 'yes', description: 'save without asking when the fit is good' }],
        help: [
          'Draws a cross at each corner and the centre of the public screen in turn (tslib targets,',
          '50 px in from the edges). Press each with a stylus or fingertip and hold still for a moment.',
          `A fit worse than ${MAX_CAL_ERROR_PX} px is refused: calibrate again. Saved to devices.touch.calibration.`,
        ],
        async run(ctx, a) {
          const touch = port(ctx.env);
          const { width, height } = touch.screenSize();
          const targets = calibrationTargets(width, height);
          const points: CalPoint[] = [];
          ctx.print(`Touch calibration on the ${width}x${height} px screen: press each cross as it appears (Ctrl-C cancels).`);
          try {
            for (const [i, t] of targets.entries()) {
              touch.showCalibrationTarget({ ...t, index: i + 1, count: targets.length });
              ctx.print(`  ${i + 1}/${targets.length}  press the cross at the ${NAMES[i]} (${t.x}, ${t.y} px)…`);
              const raw = await withCancel(touch.nextRawPress(ctx.signal), ctx.signal, PRESS_TIMEOUT_MS, `touch ${NAMES[i]}`);
              ctx.print(`        got raw ${raw.x}, ${raw.y}`);
              points.push({ screen: t, raw });
            }
          } finally {
            touch.showCalibrationTarget(null);
          }
          const fit = solveCalibration(points);
          if (!fit.ok) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `calibration failed: ${fit.reason}; run touch calibrate again` });
          const err = Math.round(fit.maxErrorPx * 10) / 10;
          if (fit.maxErrorPx > MAX_CAL_ERROR_PX) {
            throw consoleError('SP_CONSOLE_BAD_ARGS', { maxErrorPx: err }, { message: `the touches disagree by up to ${err} px (limit ${MAX_CAL_ERROR_PX} px): a press missed its cross; run touch calibrate again` });
          }
          if (a.flags.yes !== true) {
            if (ctx.json) throw consoleError('SP_CONSOLE_CONFIRM', undefined, { message: 'add --yes to save the calibration from a script' });
            const answer = await ctx.ask(`Fit error at most ${err} px. Save and use it? (yes/no) `);
            if (answer?.trim().toLowerCase() !== 'yes') throw consoleError('SP_CONSOLE_CANCELLED', undefined, { message: 'calibration not saved' });
          }
          const change = new ConfigEditor(ctx.env.configFile).set('devices.touch.calibration', JSON.stringify(fit.pointercal));
          touch.applyCalibration(fit.pointercal);
          return {
            result: { pointercal: fit.pointercal, maxErrorPx: err, errorsPx: fit.errorsPx.map((x) => Math.round(x * 10) / 10), savedTo: ctx.env.configFile, key: change.key },
            text: formatFields([['Calibration', fit.pointercal.join(' ')], ['Fit error', `at most ${err} px`], ['Saved', `${ctx.env.configFile} (devices.touch.calibration), in use now`]], { paint: ctx.paint }),
          };
        },
      },
    ],
  },
};
