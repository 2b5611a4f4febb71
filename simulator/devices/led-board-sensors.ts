/**
 * The simulated LED board's sensors (docs/protocols/led-link.md §3.8 STATUS fields): ambient light
 * from the sun's height at the pole, enclosure temperature from the LEDs' heat.
 */
import { getPosition } from 'suncalc';

/** The board reports OVER_TEMPERATURE at and above this enclosure temperature. */
export const OVER_TEMPERATURE_C = 75;

/** Where the simulated pole stands unless told otherwise (澳门路, Jiang'an, Wuhan). */
export const WUHAN = { lat: 30.6043, lon: 114.3012 } as const;

/** Light sensor: daylight from the sun's height at the pole (suncalc), streetlight at night. */
export function daylightLux(at: Date, loc: { lat: number; lon: number }): number {
  const alt = (getPosition(at, loc.lat, loc.lon).altitude * 180) / Math.PI;
  if (alt > 0) return Math.round(400 + 100_000 * Math.sin((alt * Math.PI) / 180) ** 1.2);
  if (alt > -6) return Math.round(5 + 395 * ((alt + 6) / 6) ** 2);
  return 5;
}

/** Enclosure temperature: ambient plus LED heat at the current brightness (percent). */
export function enclosureTemperatureC(brightnessPercent: number): number {
  return Math.round((32 + brightnessPercent * 0.18) * 10) / 10;
}
