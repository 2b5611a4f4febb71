/**
 * Sunrise, sunset and civil twilight at the pole (suncalc 2; docs/background.md §Streetlight: −0.833°
 * for sunrise/sunset, −6° for civil dawn/dusk), per local date, cached. The astronomical clock
 * runs locally, so the lamp keeps its schedule without a network.
 */
import * as SunCalc from 'suncalc';
import { localToEpoch, dateKey, type LocalDate } from './local-time.js';

export type AstroEvent = 'sunrise' | 'sunset' | 'civilDawn' | 'civilDusk';

export type SunEvents = Record<AstroEvent, number>;

export class SunClock {
  private readonly cache = new Map<string, SunEvents>();

  constructor(readonly lat: number, readonly lon: number, readonly timeZone: string) {}

  /** The solar events of a local date (epoch ms). Polar day/night would give NaN (not at ±66°). */
  events(date: LocalDate): SunEvents {
    const key = dateKey(date);
    let e = this.cache.get(key);
    if (!e) {
      // suncalc picks the solar day nearest the instant given: local noon of the date is inside it.
      const t = SunCalc.getTimes(new Date(localToEpoch(date, 12, 0, this.timeZone)), this.lat, this.lon);
      const ms = (d: Date | null) => d?.getTime() ?? NaN;
      e = { sunrise: ms(t.sunrise), sunset: ms(t.sunset), civilDawn: ms(t.dawn), civilDusk: ms(t.dusk) };
      if (this.cache.size > 800) this.cache.clear();
      this.cache.set(key, e);
    }
    return e;
  }
}
