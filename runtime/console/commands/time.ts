/** `time`: the pole's clock, its zone, and how long the runtime has run (guest level). */
import { formatDuration, formatLocalTime, offsetLabel } from '../../../protocols/console/units.js';
import { formatFields } from '../../../protocols/console/table.js';
import { isoInZone } from '../../../protocols/time.js';
import type { ConsoleModule } from './module.js';

/** Before this the clock is surely wrong (no RTC battery, no NTP yet). */
export const CLOCK_SANE_FROM = Date.UTC(2025, 0, 1);

export const timeModule: ConsoleModule = {
  command: {
    name: 'time', level: 'guest', summary: 'local time with zone, UTC, and uptime',
    run(ctx) {
      const e = ctx.env;
      const now = e.now();
      const sane = now >= CLOCK_SANE_FROM;
      return {
        result: { local: isoInZone(now, e.timeZone), utc: new Date(now).toISOString(), timeZone: e.timeZone, offset: offsetLabel(e.timeZone, now), uptimeSec: Math.round((now - e.startedAt) / 1000), clockSane: sane },
        text: formatFields([
          ['Local time', `${formatLocalTime(now, e.timeZone)} (${e.timeZone})`],
          ['UTC', new Date(now).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +00:00')],
          ['Runtime up', `${formatDuration(now - e.startedAt)} (since ${formatLocalTime(e.startedAt, e.timeZone)})`],
          ...(sane ? [] : [['Warning', 'the clock is before 2025: it is not set (no NTP, RTC battery flat?); notices with validity windows will misbehave', 'red'] as [string, string, 'red']]),
        ], { paint: ctx.paint }),
      };
    },
  },
};
