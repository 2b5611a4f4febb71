/**
 * Read-only questions to a working modem, each one AT command and a pure parser: signal and
 * serving cell, operator, registration, data context, temperature, and the data-path ping.
 * They update ModemInfo in place; the state machine decides what the answers mean.
 */
import type { Logger } from 'pino';
import { parseServingCell, summarizeCell } from '../../protocols/at/serving-cell.js';
import { parseCsq } from '../../protocols/at/signal.js';
import { parseCops, parseQnwinfo } from '../../protocols/at/network.js';
import { parseRegistration, registrationForm, REG_PREFIX, type RegDomain } from '../../protocols/at/registration.js';
import { parseQiact, type ActiveContext, type PingUrc } from '../../protocols/at/pdp.js';
import { parseQtemp, maxTemperature } from '../../protocols/at/temperature.js';
import { parseQnetdevctl, type DataCall } from '../../protocols/at/usbnet.js';
import { errorCode } from '../../protocols/errors.js';
import type { AtChannel } from './at-channel.js';
import type { ModemProfile } from './quectel-profile.js';
import type { ModemInfo } from './modem-info.js';
import { hasSignal, summarizeRegistration } from './modem-info.js';

/** AT errors that mean "this firmware lacks the command" rather than "the modem is in trouble". */
const isRefusal = (e: unknown) => ['SP_AT_ERROR', 'SP_AT_CME'].includes(errorCode(e));

export class ModemQueries {
  /** Registration commands this firmware refused (e.g. +C5GREG on an LTE-only build). */
  private readonly unsupported = new Set<string>();
  private ping: { resolve: (ok: boolean) => void; timer: NodeJS.Timeout; replies: number } | null = null;

  constructor(
    private readonly ch: AtChannel,
    private readonly profile: ModemProfile,
    private readonly info: ModemInfo,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  async registration(): Promise<void> {
    let answered = 0;
    for (const { domain, query } of this.profile.registration) {
      if (this.unsupported.has(query)) continue;
      const prefix = REG_PREFIX[domain];
      try {
        const reg = await this.ch.query(query, { isReply: (l) => l.startsWith(prefix) && registrationForm(l) === 'read', expectLines: true },
          (lines) => parseRegistration(lines[0]!, 'read'));
        this.info.registration[domain] = reg;
        answered++;
      } catch (e) {
        if (!isRefusal(e)) throw e;
        this.unsupported.add(query);
        this.info.registration[domain] = null;
        this.log.debug({ query }, 'registration query not supported; skipped from now on');
      }
    }
    if (answered === 0 && this.unsupported.size === this.profile.registration.length) this.unsupported.clear();
  }

  /** Applies a registration URC. */
  applyRegistration(domain: RegDomain, reg: ModemInfo['registration'][RegDomain]): void {
    const old = this.info.registration[domain];
    // URCs carry no <n>; keep the one the read form told us.
    this.info.registration[domain] = reg && old ? { ...reg, n: old.n } : reg;
  }

  async operator(): Promise<void> {
    const c = await this.ch.query(this.profile.operator, { prefix: '+COPS:', expectLines: true }, (l) => parseCops(l[0]!));
    this.info.operator = { name: c.operator, act: c.act };
  }

  /** Signal, serving cell and network info. Returns true when valid radio values are known. */
  async signal(): Promise<boolean> {
    const s = this.profile.signal;
    try {
      this.info.cell = summarizeCell(await this.ch.query(s.servingCell, { prefix: '+QENG:', expectLines: true }, parseServingCell));
    } catch (e) {
      if (!isRefusal(e)) throw e;
    }
    this.info.csq = await this.ch.query(s.csq, { prefix: '+CSQ:', expectLines: true }, (l) => parseCsq(l[0]!));
    if (summarizeRegistration(this.info.registration).verdict === 'home' || summarizeRegistration(this.info.registration).verdict === 'roaming') {
      try {
        this.info.network = await this.ch.query(s.networkInfo, { prefix: '+QNWINFO:', expectLines: true }, parseQnwinfo);
        await this.operator();
      } catch (e) {
        if (!isRefusal(e)) throw e;
      }
    } else this.info.network = [{ service: false }];
    this.info.signalAt = this.now();
    return hasSignal(this.info);
  }

  async temperature(): Promise<number | null> {
    try {
      this.info.temperatures = await this.ch.query(this.profile.signal.temperature, { prefix: '+QTEMP:', expectLines: true }, parseQtemp);
    } catch (e) {
      if (!isRefusal(e)) throw e;
    }
    return maxTemperature(this.info.temperatures);
  }

  /** The data context, if active with an address. */
  async dataContext(cid: number): Promise<ActiveContext | null> {
    const ctx = await this.ch.query(this.profile.data.status, { prefix: '+QIACT:' }, parseQiact);
    return ctx.find((c) => c.cid === cid && c.state === 1 && c.addresses.length > 0) ?? null;
  }

  /** The host data call of a context (AT+QNETDEVCTL?), null when none was made. */
  async dataCall(cid: number): Promise<DataCall | null> {
    const calls = await this.ch.query(this.profile.host.callStatus, { prefix: '+QNETDEVCTL:' }, (l) => [parseQnetdevctl(l)]);
    const c = calls[0] ?? null;
    return c && c.cid === cid ? c : null;
  }

  /**
   * Pings `host` through the modem's data context (AT+QPING; results arrive as URCs).
   * Resolves true when at least one reply came back.
   */
  async pingHost(cid: number, host: string, timeoutMs: number, count = 2): Promise<boolean> {
    if (this.ping) return false;
    const timeoutSec = Math.max(1, Math.round(timeoutMs / 1000));
    const done = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => this.endPing(false), timeoutMs * count + 2000);
      this.ping = { resolve, timer, replies: 0 };
    });
    try {
      await this.ch.send(this.profile.data.ping(cid, host, timeoutSec, count), {});
    } catch (e) {
      this.endPing(false);
      throw e;
    }
    return done;
  }

  onPing(p: PingUrc): void {
    if (!this.ping) return;
    if (p.kind === 'reply') this.ping.replies++;
    else if (p.kind === 'summary') this.endPing(p.received > 0 || this.ping.replies > 0);
    else this.endPing(this.ping.replies > 0);
  }

  private endPing(ok: boolean): void {
    const p = this.ping;
    if (!p) return;
    this.ping = null;
    clearTimeout(p.timer);
    p.resolve(ok);
  }

  cancel(): void {
    this.endPing(false);
  }
}
