/**
 * `selftest` (docs/console.md §Commands): runs every device's and service's check and prints a
 * PASS/FAIL/SKIP table with the reason on each row, one row as each check finishes, then a one-line
 * verdict. FAIL = needs attention; SKIP = not fitted or nothing to check.
 */
import { statusStyle, type Painter } from '../../../protocols/console/ansi.js';
import { formatTable, type Column } from '../../../protocols/console/table.js';
import { formatDuration, formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import { runCheck, type CheckReport, type SelfCheck } from '../selftest.js';
import type { ConsoleModule } from './module.js';

const COLUMNS: Column[] = [
  { title: 'CHECK', min: 8 }, { title: 'RESULT', min: 6, style: statusStyle }, { title: 'TIME', align: 'right', min: 6 }, { title: 'WHAT WAS FOUND', wrap: true },
];
/** Fixed widths so rows can print as they finish and still line up. */
const WIDTH_ROW = ['selftest', 'RESULT', '999 ms', 'x'.repeat(50)];

function rowLines(r: CheckReport, paint: Painter): string[] {
  return formatTable(COLUMNS, [WIDTH_ROW, [r.name, r.result, formatDuration(r.durationMs), r.reason]], { paint }).slice(2);
}

export function selftestModule(checks: () => SelfCheck[]): ConsoleModule {
  return {
    command: {
      name: 'selftest', level: 'tech', summary: 'check every device and service: PASS / FAIL / SKIP with reasons',
      help: [
        'Runs each check in turn (each at most a few seconds; Ctrl-C stops). Nothing is changed on the pole.',
        'PASS = works now. FAIL = needs attention: the reason says what was found and where to look.',
        'SKIP = not fitted on this pole, or nothing to check. Then `status` and the device\'s own command',
        '(e.g. `led status`, `mqtt status`) give the details.',
      ],
      async run(ctx) {
        const e = ctx.env;
        const started = e.now();
        ctx.print(`Self-test of pole ${e.poleId}, ${formatLocalTime(started, e.timeZone)} (${e.timeZone})`);
        ctx.print(formatTable(COLUMNS, [WIDTH_ROW], { paint: ctx.paint })[0]);
        const reports: CheckReport[] = [];
        for (const c of checks()) {
          const r = await runCheck(c, e, ctx.signal);
          reports.push(r);
          for (const l of rowLines(r, ctx.paint)) ctx.print(l);
        }
        const n = (x: string) => reports.filter((r) => r.result === x).length;
        const failed = reports.filter((r) => r.result === 'FAIL').map((r) => r.name);
        const verdict = failed.length
          ? `${ctx.paint(`${failed.length} FAIL`, 'red')}: ${failed.join(', ')} need${failed.length === 1 ? 's' : ''} attention (reasons above).`
          : ctx.paint('No failures.', 'green');
        return {
          result: {
            poleId: e.poleId, startedAt: isoInZone(started, e.timeZone), pass: n('PASS'), fail: n('FAIL'), skip: n('SKIP'),
            checks: reports.map((r) => ({ name: r.name, result: r.result, reason: r.reason, durationMs: Math.round(r.durationMs) })),
          },
          text: ['', `${reports.length} checks: ${n('PASS')} PASS, ${n('FAIL')} FAIL, ${n('SKIP')} SKIP. ${verdict}`, 'SKIP = not fitted on this pole or nothing to check; `help selftest` explains.'],
        };
      },
    },
  };
}
