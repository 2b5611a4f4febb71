/**
 * The simulator's stand-in for the city's live feeds: every 30 s it re-issues the transit data
 * set with bus arrivals predicted from each line's timetable (deterministic per line, so the
 * screen shows plausible, moving numbers) and refreshes the weather observation time. It only
 * touches data sets that came from the sample seed or from itself — a data set pushed by city
 * operations (signed over MQTT) is never overwritten.
 */
import { TransitData, WeatherData } from '../protocols/datasets.js';
import { isoInZone } from '../protocols/time.js';
import { dateTimeFormat } from '../lib/intl-format.js';
import type { DataSetStore } from '../runtime/data/dataset-store.js';

export const FEED_ISSUER = 'sim-feed';
const OURS = new Set(['seed', 'sample', FEED_ISSUER]);

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function localMinute(ms: number, timeZone: string): number {
  const p = dateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(ms));
  return Number(p.find((x) => x.type === 'hour')!.value) * 60 + Number(p.find((x) => x.type === 'minute')!.value);
}

const hhmm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

/** Re-issues the transit and weather data sets as if fresh from the city's feeds. */
export function refreshLiveData(store: DataSetStore, now: number, timeZone = 'Asia/Shanghai'): void {
  const transit = store.get('transit', now);
  const t = transit && OURS.has(transit.issuer) ? TransitData.safeParse(transit.data) : null;
  if (transit && t?.success) {
    const nowMin = localMinute(now, timeZone);
    const minuteStart = now - (now % 60_000);
    for (const stop of t.data.stops) {
      for (const line of stop.lines) {
        const phase = hash(`${stop.id}/${line.line}/${line.toward.zh}`) % (line.headwayMin * 60);
        const arrivals: { at: string; stopsAway: number }[] = [];
        // Next departures on the line's headway grid, inside its service hours.
        let next = Math.ceil(((now / 1000) - phase) / (line.headwayMin * 60)) * line.headwayMin * 60 + phase;
        while (arrivals.length < 3) {
          const ms = next * 1000;
          const min = (nowMin + Math.round((ms - minuteStart) / 60_000)) % 1440;
          if (ms - now > 3 * 3600_000) break;
          if (min >= hhmm(line.firstBus) && min <= hhmm(line.lastBus)) arrivals.push({ at: isoInZone(ms, timeZone), stopsAway: Math.max(1, Math.round((ms - now) / 150_000)) });
          next += line.headwayMin * 60;
        }
        line.arrivals = arrivals;
      }
    }
    store.put({ name: 'transit', scope: 'all', issuer: FEED_ISSUER, version: transit.version + 1, issuedAt: isoInZone(now, timeZone), expiresAt: null, data: { ...t.data, updatedAt: isoInZone(now, timeZone) }, receivedAt: now });
  }
  const weather = store.get('weather', now);
  const w = weather && OURS.has(weather.issuer) ? WeatherData.safeParse(weather.data) : null;
  if (weather && w?.success) {
    // A gentle daily cycle between the day's low and high, warmest at 14:00.
    const lo = w.data.lowC ?? w.data.tempC - 3;
    const hi = w.data.highC ?? w.data.tempC + 3;
    const tempC = Math.round(lo + (hi - lo) * (0.5 + 0.5 * Math.cos(((localMinute(now, timeZone) - 840) / 1440) * 2 * Math.PI)));
    store.put({ name: 'weather', scope: 'all', issuer: FEED_ISSUER, version: weather.version + 1, issuedAt: isoInZone(now, timeZone), expiresAt: null, data: { ...w.data, tempC, observedAt: isoInZone(now - (now % 600_000), timeZone) }, receivedAt: now });
  }
}

export class SimCityFeed {
  private timer: NodeJS.Timeout | null = null;
  /** `store` is read at each refresh: the runtime (and its store) may be restarted meanwhile. */
  constructor(private readonly store: () => DataSetStore | null, private readonly o: { intervalMs?: number; timeZone?: string; now?: () => number } = {}) {}

  start(): void {
    const tick = () => {
      const s = this.store();
      try {
        if (s) refreshLiveData(s, (this.o.now ?? Date.now)(), this.o.timeZone);
      } catch {
        // The store closed under us (runtime restarting); the next tick uses the new one.
      }
    };
    tick();
    this.timer = setInterval(tick, this.o.intervalMs ?? 30_000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
