/**
 * An independent sunrise/sunset computation for the lamp tests: the NOAA Solar Calculator
 * spreadsheet equations (after Meeus, "Astronomical Algorithms"), written from the published
 * formulas, sharing nothing with suncalc. "Accurate to within a minute for ±72° latitude"
 * (docs/background.md §Streetlight). Times in epoch ms for a UTC+tz date.
 */
const rad = (d: number) => (d * Math.PI) / 180;
const deg = (r: number) => (r * 180) / Math.PI;

interface SolarTerms { declination: number; eqOfTimeMin: number }

function solarTerms(jd: number): SolarTerms {
  const jc = (jd - 2451545) / 36525;
  const l0 = (280.46646 + jc * (36000.76983 + jc * 0.0003032)) % 360;
  const m = 357.52911 + jc * (35999.05029 - 0.0001537 * jc);
  const e = 0.016708634 - jc * (0.000042037 + 0.0000001267 * jc);
  const c = Math.sin(rad(m)) * (1.914602 - jc * (0.004817 + 0.000014 * jc)) + Math.sin(rad(2 * m)) * (0.019993 - 0.000101 * jc) + Math.sin(rad(3 * m)) * 0.000289;
  const trueLong = l0 + c;
  const omega = 125.04 - 1934.136 * jc;
  const appLong = trueLong - 0.00569 - 0.00478 * Math.sin(rad(omega));
  const meanObliq = 23 + (26 + (21.448 - jc * (46.815 + jc * (0.00059 - jc * 0.001813))) / 60) / 60;
  const obliq = meanObliq + 0.00256 * Math.cos(rad(omega));
  const declination = deg(Math.asin(Math.sin(rad(obliq)) * Math.sin(rad(appLong))));
  const y = Math.tan(rad(obliq / 2)) ** 2;
  const eqOfTimeMin = 4 * deg(y * Math.sin(2 * rad(l0)) - 2 * e * Math.sin(rad(m)) + 4 * e * y * Math.sin(rad(m)) * Math.cos(2 * rad(l0))
    - 0.5 * y * y * Math.sin(4 * rad(l0)) - 1.25 * e * e * Math.sin(2 * rad(m)));
  return { declination, eqOfTimeMin };
}

/**
 * Sunrise or sunset (zenith 90.833°) or civil dawn/dusk (96°) on local date y-m-d at (lat, lon),
 * zone UTC+tzHours; iterated twice so the solar terms are taken at the event itself.
 */
export function noaaEvent(y: number, m: number, d: number, lat: number, lon: number, tzHours: number, rising: boolean, zenithDeg = 90.833): number {
  const midnightUtc = Date.UTC(y, m - 1, d) - tzHours * 3_600_000;
  let minutes = rising ? 360 : 1080; // first guess: 06:00 / 18:00 local
  for (let i = 0; i < 3; i++) {
    const jd = (midnightUtc + minutes * 60_000) / 86_400_000 + 2440587.5;
    const { declination, eqOfTimeMin } = solarTerms(jd);
    const ha = deg(Math.acos(Math.cos(rad(zenithDeg)) / (Math.cos(rad(lat)) * Math.cos(rad(declination))) - Math.tan(rad(lat)) * Math.tan(rad(declination))));
    const noon = 720 - 4 * lon - eqOfTimeMin + tzHours * 60;
    minutes = rising ? noon - 4 * ha : noon + 4 * ha;
  }
  return midnightUtc + minutes * 60_000;
}
