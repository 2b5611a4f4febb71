/**
 * One screen driven through an Onbon BX-5E/6E card (docs/protocols/onbon.md): the serial line,
 * the card driver, the sign service that renders notices, emergencies and the clock, and the
 * brightness service, built from one `devices.led` (protocol onbon) or `devices.sign` entry.
 */
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { SerialLink } from '../../device/serial/serial-link.js';
import { OnbonCard } from '../../device/onbon/onbon-card.js';
import { CardState } from '../../device/onbon/card-state.js';
import { SignText } from '../../display/sign-text.js';
import { generationOf } from '../../protocols/onbon/header.js';
import { pageBytes } from '../../protocols/onbon/bitmap.js';
import type { OnbonConfig } from '../config/schema.js';
import type { Health } from '../health.js';
import type { NoticeStore } from '../notices/notice-store.js';
import { selectPlaylist } from '../notices/scheduler.js';
import { clockText } from '../screen/clock-text.js';
import { BrightnessService } from '../screen/brightness.js';
import type { DisplayAdapter, ScreenName } from '../display-adapter.js';
import type { Reporter } from '../uplink/reporter.js';
import { SignService } from './sign-service.js';
import { SignBrightnessLink, type LuxSource } from './sign-brightness.js';

export interface OnbonDisplayDeps {
  screen: ScreenName;
  config: OnbonConfig;
  notices: NoticeStore;
  timeZone: string;
  language: 'zh' | 'en';
  /** Shown when there is no notice. */
  idleText: string;
  logger: Logger;
  binding?: BindingInterface | undefined;
  lux: LuxSource | null;
  reporter: Reporter;
  now: () => number;
}

export class OnbonDisplay implements DisplayAdapter {
  readonly protocol = 'onbon' as const;
  readonly serial: SerialLink;
  readonly card: OnbonCard;
  readonly sign: SignService;
  readonly brightness: BrightnessService;
  private readonly brightnessLink: SignBrightnessLink;

  constructor(readonly screen: ScreenName, private readonly d: OnbonDisplayDeps) {
    const c = d.config;
    const log = d.logger.child({ screen });
    this.serial = new SerialLink({ path: c.path, baudRate: c.baudRate, name: screen, logger: log, binding: d.binding });
    this.card = new OnbonCard({
      serial: this.serial, logger: log, model: c.model, address: c.address, baudRate: c.baudRate, ackTimeoutMs: c.ackTimeoutMs,
      retries: c.retries, pingIntervalMs: c.pingIntervalMs, offlineAfter: c.offlineAfter, maxFrameBytes: c.maxFrameBytes,
    });
    const gen = generationOf(c.model);
    const dual = c.colours === 'red-green';
    const rows = Math.max(1, Math.floor(c.height / c.fontPx));
    // Pages that fit the card's buffer in one request, with room for the parameters.
    const perPage = pageBytes(gen, 0, c.width, rows * c.fontPx, dual ? 2 : 1) + 40;
    const maxPages = Math.max(1, Math.min(64, Math.floor((c.maxFrameBytes / 2 - 200) / perPage)));
    this.sign = new SignService({
      card: this.card, text: new SignText(c.fontPx, c.width), generation: gen, logger: log, now: d.now, refreshMs: c.refreshMin * 60_000,
      geometry: { width: c.width, height: c.height, fontPx: c.fontPx, dualColour: dual, pageSec: c.pageSec, maxPages },
      content: (now) => this.content(now),
    });
    this.brightnessLink = new SignBrightnessLink(this.card, d.lux);
    this.report(screen, d.reporter);
    this.brightness = new BrightnessService({ link: this.brightnessLink, config: c.brightness, timeZone: d.timeZone, logger: log, now: d.now });
  }

  /** Card offline/back and areas the card refused reach operations as events (docs/protocols/onbon.md §11). */
  private report(screen: ScreenName, reporter: Reporter): void {
    const c = this.d.config;
    let from: CardState = this.card.state;
    this.card.on('state', (to) => {
      if (to === CardState.Stopped) return;
      const message = to === CardState.Ready
        ? `${screen}: Onbon card answering again (BX-${c.model} at address ${c.address})`
        : `${screen}: Onbon card not answering (BX-${c.model} at address ${c.address}, ${c.path})`;
      // The first answer after start is not news; losing the card, and getting it back, are.
      if (!(from === CardState.Offline && to === CardState.Ready && this.card.stats.recoveries <= 1)) {
        reporter.event({ code: 'sign.state', severity: to === CardState.Ready ? 'info' : 'alarm', message, screen, from, to, error: to === CardState.Offline ? this.card.stats.lastError : undefined });
      }
      from = to;
    });
    this.card.on('nack', (label, error) => {
      if (error === 5 || error === 3) return; // re-sent by the driver
      reporter.event({ code: 'SP_ONBON_NACK', severity: 'warning', message: `${screen}: the Onbon card refused ${label}`, screen, error, name: this.card.stats.lastNack });
    });
  }

  private content(now: number) {
    const c = this.d.config;
    const pl = selectPlaylist(this.d.notices.active(now), now, this.d.timeZone);
    const lang = this.d.language;
    const texts = pl.items.map((n) => ({
      title: (lang === 'en' ? n.payload.title.en : undefined) ?? n.payload.title.zh,
      body: (lang === 'en' ? n.payload.body.en : undefined) ?? n.payload.body.zh,
    }));
    const { time, date } = clockText(now, this.d.timeZone, lang);
    return {
      clock: c.clock ? [`${date} ${time}`, time] : null,
      notices: pl.tier === 'emergency' ? [] : texts,
      emergency: pl.tier === 'emergency' ? texts : [],
      idle: this.d.idleText,
    };
  }

  start(): void {
    this.serial.start();
    this.card.start();
    this.sign.start();
    this.brightness.start();
  }

  async stop(): Promise<void> {
    this.brightness.stop();
    this.sign.stop();
    this.card.stop();
    await this.serial.stop();
  }

  /** Notices changed: plan again now rather than at the next tick. */
  refresh(): void {
    this.sign.refresh();
  }

  setTestPattern(on: boolean): Record<string, unknown> {
    return { ...this.sign.setTestPattern(on) };
  }

  health(): Health {
    const s = this.sign.status();
    const c = this.d.config;
    const base = { protocol: 'onbon', model: c.model, address: c.address, path: c.path, baudRate: c.baudRate, card: this.card.state, pending: s.pending };
    if (!this.serial.isOpen) return { status: 'down', ...base, detail: `serial device not open: ${this.serial.stats.lastError ?? this.serial.state}` };
    if (this.card.state !== CardState.Ready) return { status: 'down', ...base, detail: `Onbon card not answering at address ${c.address} (${c.baudRate} baud)` };
    if (s.lastError && s.pending.length) return { status: 'degraded', ...base, detail: `areas ${s.pending.join(',')} not shown: ${s.lastError}` };
    return { status: 'ok', ...base, detail: `Onbon BX-${c.model} ${c.width}×${c.height} answering` };
  }

  status(): Record<string, unknown> {
    const c = this.d.config;
    return {
      screen: this.screen, protocol: 'onbon', model: c.model, address: c.address, path: c.path, baudRate: c.baudRate,
      size: { width: c.width, height: c.height, colours: c.colours, fontPx: c.fontPx },
      ...this.sign.status(),
      brightness: { ...this.brightness.state(), level: this.brightnessLink.level },
      stats: { ...this.card.stats }, serial: { state: this.serial.state, ...this.serial.stats },
    };
  }
}
