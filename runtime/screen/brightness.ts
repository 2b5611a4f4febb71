/**
 * BrightnessService: the LED panel's brightness (docs/brightness.md). Automatic from
 * the board's ambient-light reading (smoothed, log curve, night floor), overridden by the
 * configured schedule, and by an operator's command (with an expiry). It sends only BRIGHTNESS
 * messages — the board ramps its drive level — so a change never repaints the screen.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { MsgType, encodeBrightness, type Status } from '../../protocols/led-link/messages.js';
import { autoPercent, localTime, scheduled, smoothLogLux, type BrightnessCurve, type ScheduleEntry } from './brightness-curve.js';

export interface BrightnessConfig extends BrightnessCurve {
  /** Time constant of the lux smoothing, s. */
  smoothingSec: number;
  /** How long the board takes to move to a new level, ms. */
  rampMs: number;
  /** Automatic changes smaller than this are not sent, %. */
  minStepPercent: number;
  /** Level while no light reading is available, %. */
  noSensorPercent: number;
  schedule: ScheduleEntry[];
}

/** What the service needs of the LED link: send, and hear STATUS and readiness. */
export interface BrightnessLink {
  send(type: number, payload: Uint8Array): Promise<void>;
  on(event: 'status', cb: (s: Status) => void): unknown;
  on(event: 'ready', cb: () => void): unknown;
}

export type BrightnessSource = 'override' | 'schedule' | 'auto' | 'no-sensor';

export interface BrightnessState {
  percent: number;
  source: BrightnessSource;
  lux: number | null;
  smoothedLux: number | null;
  override: { percent: number; until: string } | null;
  schedule: ScheduleEntry | null;
  /** The level the board last acknowledged. */
  sent: number | null;
}

export interface BrightnessServiceOptions {
  link: BrightnessLink;
  config: BrightnessConfig;
  timeZone: string;
  logger: Logger;
  now?: () => number;
  /** How often the schedule and expiry are re-evaluated. Default 1000 ms. */
  tickMs?: number;
}

export class BrightnessService extends EventEmitter<{ changed: [BrightnessState] }> {
  private lux: number | null = null;
  private logLux: number | null = null;
  private luxAt = 0;
  private override: { percent: number; until: number } | null = null;
  private sent: number | null = null;
  private sending = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(private readonly o: BrightnessServiceOptions) {
    super();
    this.log = o.logger.child({ service: 'brightness' });
    this.now = o.now ?? Date.now;
    o.link.on('status', (s) => { if (s.ambientLux !== null) this.onLux(s.ambientLux); });
    // A board that (re)booted runs at its power-on level: tell it ours at once, without a ramp.
    o.link.on('ready', () => { this.sent = null; this.apply(true); });
  }

  start(): void {
    this.timer = setInterval(() => this.apply(false), this.o.tickMs ?? 1000);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Operator override for `durationSec`, or back to automatic with null. */
  setOverride(percent: number | null, durationSec = 3600): BrightnessState {
    this.override = percent === null ? null : { percent, until: this.now() + durationSec * 1000 };
    this.log.info({ percent, durationSec }, percent === null ? 'brightness back to automatic' : 'brightness override');
    this.apply(true);
    return this.state();
  }

  onLux(lux: number): void {
    const now = this.now();
    this.logLux = smoothLogLux(this.logLux, lux, (now - this.luxAt) / 1000, this.o.config.smoothingSec);
    this.lux = lux;
    this.luxAt = now;
    this.apply(false);
  }

  state(): BrightnessState {
    const { percent, source, entry } = this.target();
    return {
      percent, source, lux: this.lux, smoothedLux: this.logLux === null ? null : Math.round(10 ** this.logLux),
      override: this.override ? { percent: this.override.percent, until: new Date(this.override.until).toISOString() } : null,
      schedule: entry, sent: this.sent,
    };
  }

  private target(): { percent: number; source: BrightnessSource; entry: ScheduleEntry | null } {
    const now = this.now();
    if (this.override && now >= this.override.until) this.override = null;
    const { minutes, weekday } = localTime(now, this.o.timeZone);
    const entry = scheduled(this.o.config.schedule, minutes, weekday);
    if (this.override) return { percent: this.override.percent, source: 'override', entry };
    if (entry) return { percent: entry.percent, source: 'schedule', entry };
    if (this.logLux === null) return { percent: this.o.config.noSensorPercent, source: 'no-sensor', entry };
    return { percent: Math.round(autoPercent(10 ** this.logLux, this.o.config)), source: 'auto', entry };
  }

  /** Sends the target if it moved enough (any move for overrides and schedules). */
  private apply(force: boolean): void {
    const { percent, source } = this.target();
    if (this.sending) return;
    if (this.sent !== null && percent === this.sent) return;
    const small = this.sent !== null && Math.abs(percent - this.sent) < this.o.config.minStepPercent;
    if (!force && source === 'auto' && small && percent !== this.o.config.nightFloorPercent && percent !== this.o.config.maxPercent) return;
    this.sending = true;
    const rampMs = this.sent === null ? 0 : this.o.config.rampMs;
    this.o.link.send(MsgType.BRIGHTNESS, encodeBrightness({ percent, rampMs }))
      .then(() => {
        this.sent = percent;
        this.log.debug({ percent, source }, 'brightness set');
        this.emit('changed', this.state());
      })
      .catch((e: Error) => this.log.debug({ err: e.message }, 'brightness not sent; will retry when the board is ready'))
      .finally(() => { this.sending = false; });
  }
}
