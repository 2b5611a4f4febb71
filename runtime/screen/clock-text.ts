import type { Language } from '../../display/page-model.js';
import { dateTimeFormat } from '../../lib/intl-format.js';

/** Local clock strings for the screen header, in the pole's time zone. */
export function clockText(ms: number, timeZone: string, lang: Language): { time: string; date: string } {
  const d = new Date(ms);
  const time = dateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const date = lang === 'zh'
    ? dateTimeFormat('zh-CN', { timeZone, month: 'long', day: 'numeric', weekday: 'long' }).format(d)
    : dateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(d);
  return { time, date };
}
