/**
 * Photocell with hysteresis (TALQ Sensor active period onLevel/offLevel): dark once the light has
 * stayed at or below `onLux` for `onDelaySec`, bright once it has stayed at or above `offLux` for
 * `offDelaySec`; between the two thresholds nothing changes. This is what lit Wuhan's lamps at
 * 14:45 in the storm of 2021-05-10 while a pure astro schedule would have kept them off
 * (docs/background.md §Streetlight). No reading (no sensor, driver offline): unknown.
 */
export enum PhotocellState {
  Unknown = 'unknown',
  Dark = 'dark',
  Bright = 'bright',
}

export interface PhotocellSettings {
  onLux: number;
  offLux: number;
  onDelaySec: number;
  offDelaySec: number;
}

export class Photocell {
  state = PhotocellState.Unknown;
  lux: number | null = null;
  private darkSince: number | null = null;
  private brightSince: number | null = null;

  constructor(private readonly s: PhotocellSettings) {
    if (!(s.offLux > s.onLux)) throw new RangeError('photocell offLux must be above onLux');
  }

  /** Feeds a reading at time t (ms); returns true when the state changed. */
  update(lux: number | null, t: number): boolean {
    this.lux = lux;
    const before = this.state;
    if (lux === null || !Number.isFinite(lux)) {
      this.state = PhotocellState.Unknown;
      this.darkSince = this.brightSince = null;
      return before !== this.state;
    }
    if (lux <= this.s.onLux) {
      this.brightSince = null;
      this.darkSince ??= t;
      if (this.state !== PhotocellState.Dark && t - this.darkSince >= this.s.onDelaySec * 1000) this.state = PhotocellState.Dark;
    } else if (lux >= this.s.offLux) {
      this.darkSince = null;
      this.brightSince ??= t;
      if (this.state !== PhotocellState.Bright && t - this.brightSince >= this.s.offDelaySec * 1000) this.state = PhotocellState.Bright;
    } else {
      // Inside the hysteresis band: hold the state, restart both timers.
      this.darkSince = this.brightSince = null;
    }
    return before !== this.state;
  }
}
