/**
 * Figures of the operations console's libraries (docs/feedback.md §Operations console libraries):
 * a notice preview through the pole's own screen and renderer (per language, and for a long
 * emergency with several screens), CAP coverage over a fleet of poles, and the per-department
 * feedback figures over an inbox. All in this process; printed with the machine's load.
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../runtime/version.js';
import { NoticePayload } from '../protocols/notice.js';
import { FEEDBACK_RATINGS } from '../protocols/feedback.js';
import { isoWithOffset } from '../protocols/time.js';
import { previewNotice } from '../ops/preview.js';
import { capCoverage, type PoleSite } from '../ops/cap-coverage.js';
import { feedbackFigures, type FeedbackFigureInput } from '../ops/feedback-figures.js';
import { seededRandom } from '../lib/seeded-random.js';
import type { BenchOptions } from './run.js';
import { Report } from './lib/report.js';
import { sample } from './lib/sample.js';
import { fmt, summarize } from './lib/stats.js';

const AT = Date.parse('2026-09-03T08:20:00+08:00');

async function timed(runs: number, f: () => Promise<unknown> | unknown): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    ms.push(performance.now() - t0);
  }
  return ms;
}

export async function benchOpsLibs(o: BenchOptions): Promise<void> {
  const r = new Report('ops-libs');
  const load = () => `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
  const notice = NoticePayload.parse({
    type: 'notice', id: 'road-works', audience: 'all', version: 1, issuedAt: isoWithOffset(AT - 3600_000),
    title: { zh: '澳门路夜间施工通知', en: 'Night works on Aomen Road' },
    body: { zh: '12月8日至12月12日每晚22时至次日6时，澳门路进行管道施工，请绕行。', en: 'From 8 to 12 December, 22:00–06:00, pipe works on Aomen Road. Please use another route.' },
  });
  const runs = sample(o, 20, 6, 2);
  const one = summarize(await timed(runs, () => previewNotice(notice, { at: AT, languages: ['zh'] })));
  r.figure('previewOneLanguageMedianMs', 'notice preview, one language (attract loop + opened notice), median', one.median, `${fmt(one)} over ${runs}; ${load()}`);
  const both = summarize(await timed(runs, () => previewNotice(notice, { at: AT })));
  r.figure('previewBothLanguagesMedianMs', 'notice preview, zh + en, median', both.median, `${fmt(both)} over ${runs}; ${load()}`);
  const alert = { ...notice, priority: 'emergency' as const, body: { zh: '请立即远离江滩和低洼地带，听从现场工作人员指挥。'.repeat(12), en: 'Leave the riverside and low-lying areas now. '.repeat(20) } };
  let screens = 0;
  const em = summarize(await timed(runs, async () => { screens = (await previewNotice(alert, { at: AT })).length; }));
  r.figure('previewEmergencyMedianMs', 'long emergency preview, zh + en, median', em.median, `${fmt(em)} for ${screens} screens, over ${runs}; ${load()}`);

  const rand = seededRandom(7);
  const n = sample(o, 2000, 2000, 200);
  const poles: PoleSite[] = Array.from({ length: n }, (_x, i) => ({ id: `WH-${String(i).padStart(5, '0')}`, lat: 30.45 + rand() * 0.3, lon: 114.15 + rand() * 0.35, areaCode: rand() < 0.5 ? '420102' : '420106' }));
  const xml = readFileSync(join(packageRoot(), 'docs/examples/cap/jiangan-gas-leak-circle.xml'), 'utf8');
  let shows = 0;
  const cov = summarize(await timed(sample(o, 20, 6, 2), () => { const c = capCoverage(xml, poles, { now: AT }); shows = c.ok ? c.coverage.shows.length : -1; }));
  r.figure('capCoverageMedianMs', `CAP coverage (circle) over ${n} poles, median`, cov.median, `${fmt(cov)} (${shows} of ${n} covered); ${load()}`);

  const m = sample(o, 100_000, 100_000, 5000);
  const depts = ['城管局', '水务局', '交管局', '园林局', '供电公司', null];
  const inbox: FeedbackFigureInput[] = Array.from({ length: m }, () => {
    const createdAt = AT - rand() * 90 * 86400_000;
    return { department: depts[Math.floor(rand() * depts.length)]!, createdAt, answeredAt: rand() < 0.8 ? createdAt + rand() * 72 * 3600_000 : null, rating: rand() < 0.5 ? FEEDBACK_RATINGS[Math.floor(rand() * 3)]! : null };
  });
  const fig = summarize(await timed(sample(o, 20, 6, 2), () => feedbackFigures(inbox, { now: AT })));
  r.figure('feedbackFiguresMedianMs', `feedback figures over ${m} messages, median`, fig.median, `${fmt(fig)}; ${load()}`);
  r.save();
}
