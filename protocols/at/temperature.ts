/**
 * `AT+QTEMP`: on RM5xx one line per sensor, `+QTEMP: "soc-thermal","43"`, where `"-273"` means
 * the sensor is absent and names depend on firmware (field captures, docs/background.md §Modem and AT facts).
 * Older Quectel firmware prints `+QTEMP: <pmic>,<xo>,<pa>`, also accepted.
 */
import { badReply } from './errors.js';
import { afterPrefix, intField, splitFields } from './params.js';

export type Temperatures = Record<string, number>;

export function parseQtemp(lines: readonly string[]): Temperatures {
  const out: Temperatures = {};
  let seen = 0;
  for (const line of lines) {
    if (!line.startsWith('+QTEMP:')) continue;
    seen++;
    const f = splitFields(afterPrefix(line, '+QTEMP:'), line);
    if (f.length === 2 && f[0]!.quoted) {
      const t = intField({ value: f[1]!.value, quoted: false }, line, 'temperature');
      if (t !== null && t > -273) out[f[0]!.value] = t;
    } else if (f.length === 3 && !f[0]!.quoted) {
      ['pmic', 'xo', 'pa'].forEach((name, i) => {
        const t = intField(f[i], line, name, true);
        if (t !== null && t > -273) out[name] = t;
      });
    } else badReply(line, 'unknown +QTEMP shape');
  }
  if (!seen) badReply(lines.join(' | '), 'no +QTEMP line');
  return out;
}

/** The hottest present sensor, for telemetry and status lines. */
export function maxTemperature(t: Temperatures): number | null {
  const v = Object.values(t);
  return v.length ? Math.max(...v) : null;
}
