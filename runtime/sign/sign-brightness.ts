/**
 * The brightness service (runtime/screen/brightness.ts, docs/brightness.md) driving an Onbon card:
 * the same lux curve, schedule and override, its percent mapped onto the card's 16 levels
 * (level = round(percent × 15 / 100), A2 07 manual mode). The card has no light sensor on this
 * protocol; the lux comes from the pole's LED board when one is fitted, else the schedule and
 * `noSensorPercent` decide.
 */
import { EventEmitter } from 'node:events';
import type { OnbonCard } from '../../device/onbon/onbon-card.js';
import { MsgType, decodeBrightness, type Status } from '../../protocols/led-link/messages.js';
import { encodeBrightness } from '../../protocols/onbon/messages.js';
import type { BrightnessLink } from '../screen/brightness.js';

export const levelOf = (percent: number): number => Math.max(0, Math.min(15, Math.round((percent * 15) / 100)));

/** Something that reports the ambient light (the LED link's STATUS). */
export interface LuxSource {
  on(event: 'status', cb: (s: Status) => void): unknown;
}

export class SignBrightnessLink implements BrightnessLink {
  private readonly events = new EventEmitter<{ status: [Status]; ready: [] }>();
  level: number | null = null;

  constructor(private readonly card: OnbonCard, lux: LuxSource | null) {
    lux?.on('status', (s) => this.events.emit('status', s));
    card.on('ready', () => this.events.emit('ready'));
  }

  async send(type: number, payload: Uint8Array): Promise<void> {
    const b = type === MsgType.BRIGHTNESS ? decodeBrightness(payload) : null;
    if (!b) throw new RangeError(`the sign takes brightness messages only (type ${type})`);
    const level = levelOf(b.percent);
    await this.card.request(encodeBrightness({ mode: 'manual', level }), 'brightness');
    this.level = level;
  }

  on(event: 'status', cb: (s: Status) => void): unknown;
  on(event: 'ready', cb: () => void): unknown;
  on(event: 'status' | 'ready', cb: ((s: Status) => void) | (() => void)): unknown {
    return this.events.on(event, cb as () => void);
  }
}
