/**
 * The plumbing under the modem state machine: the one state variable (ModemState), state entry
 * with its event, epochs, timers and the cancellation rule. Each state entry starts a new epoch;
 * an async step that finds the epoch moved on stops (CANCELLED), so a URC or a port event can
 * redirect the machine at any moment without racing older steps.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { errorCode } from '../../protocols/errors.js';
import type { AtChannel, AtReply } from './at-channel.js';
import type { DataSettings, ModemProfile } from './quectel-profile.js';
import type { ModemTiming } from './timing.js';
import type { ModemErrorCode } from './errors.js';
import { ModemState } from './modem-state.js';
import { emptyInfo, type ModemInfo } from './modem-info.js';
import { ModemQueries } from './modem-queries.js';
import type { HostLinkStatus } from '../net/host-link.js';
import type { UsbNetMode } from '../../protocols/at/usbnet.js';

/** The host data path (docs/protocols/modem.md §Host data path). */
export interface HostPathOptions {
  interface: string;
  usbnet: UsbNetMode;
  /** Reads the interface, its lease and the routes (device/net/host-link.ts). */
  read: () => HostLinkStatus;
}

/** The serial side the machine watches (SerialLink fits). */
export interface ModemPort {
  readonly isOpen: boolean;
  readonly path: string;
  on(event: 'open', cb: () => void): unknown;
  on(event: 'close', cb: (reason: string) => void): unknown;
}

export interface ModemMachineOptions {
  port: ModemPort;
  channel: AtChannel;
  profile: ModemProfile;
  timing: ModemTiming;
  data: DataSettings;
  /** Secret: never logged. */
  simPin?: string;
  /** Consecutive unanswered commands that make the modem "hung" (MM: 10; default 3). */
  maxConsecutiveTimeouts?: number;
  /** The host data path; absent: the module's own IP stack (AT+QIACT). */
  host?: HostPathOptions;
  logger: Logger;
  now?: () => number;
}

export interface StateChange {
  from: ModemState;
  to: ModemState;
  reason: string;
  code: ModemErrorCode | null;
  at: number;
}

export interface Failure {
  /** A modem code (SP_MODEM_…) or the AT code that caused it (SP_AT_…). */
  code: string;
  message: string;
  at: number;
}

export const CANCELLED = Symbol('state changed');

export const isRefusal = (e: unknown): boolean => ['SP_AT_ERROR', 'SP_AT_CME'].includes(errorCode(e));

export abstract class ModemCore extends EventEmitter<{ state: [StateChange]; failure: [Failure]; signal: [] }> {
  state: ModemState = ModemState.Stopped;
  since: number;
  /** Why the modem is in a bad state, or what went wrong in the current one; null when all is well. */
  failure: Failure | null = null;
  readonly info: ModemInfo;
  readonly counters = { probes: 0, resetsDetected: 0, pinEntries: 0, dataActivations: 0, dataFailures: 0, dataLosses: 0, registrationLosses: 0, usbnetSwitches: 0, routeLosses: 0 };
  readonly queries: ModemQueries;
  protected epoch = 0;
  protected readonly log: Logger;
  protected readonly now: () => number;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(protected readonly o: ModemMachineOptions) {
    super();
    this.now = o.now ?? Date.now;
    this.since = this.now();
    this.log = o.logger.child({ device: 'modem' });
    this.info = emptyInfo(o.data.cid);
    if (o.host) this.info.host = { usbnet: null, link: null };
    this.queries = new ModemQueries(o.channel, o.profile, this.info, this.log, this.now);
  }

  /** Re-runs the step of the current state after a failure (subclass knows the steps). */
  protected abstract retry(): void;

  /** Marks a failure in the current state (e.g. a data stall seen by the service). */
  fail(code: string, message: string): void {
    this.failure = { code, message, at: this.now() };
    this.log.warn({ code, state: this.state }, message);
    this.emit('failure', this.failure);
  }

  /** Enters a state (a new epoch: older steps stop); `code` says what is wrong, if anything. */
  protected enter(to: ModemState, reason: string, code: ModemErrorCode | null = null): number {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.epoch++;
    const from = this.state;
    const at = this.now();
    this.failure = code ? { code, message: reason, at } : null;
    if (from !== to) {
      this.state = to;
      this.since = at;
      this.log[code ? 'warn' : 'info']({ from, to, code: code ?? undefined }, `modem ${to}: ${reason}`);
      this.emit('state', { from, to, reason, code, at });
    } else if (code) {
      this.emit('failure', this.failure!);
    }
    return this.epoch;
  }

  protected alive(ep: number): boolean {
    return ep === this.epoch;
  }

  /** Runs a step; a failure other than a closed port / abort is recorded and the state retried after a pause. */
  protected launch(ep: number, step: () => Promise<void>): void {
    step().catch((e) => {
      if (e === CANCELLED || !this.alive(ep)) return;
      const code = errorCode(e);
      if (code === 'SP_MODEM_PORT_CLOSED' || code === 'SP_MODEM_ABORTED') return;
      this.fail(code, `${this.state}: ${(e as Error).message}`);
      // Repeated timeouts turn into "hung" meanwhile (onTimeout), which cancels this retry.
      this.after(ep, this.o.timing.retryMs, () => this.retry());
    });
  }

  protected after(ep: number, ms: number, f: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.alive(ep)) f();
    }, ms);
    this.timers.add(t);
  }

  /** A pause inside a step; never resolves if the state changes meanwhile (the step is abandoned). */
  protected sleep(ep: number, ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ep, ms, resolve));
  }

  protected async send(ep: number, command: string, secret = false, opts: { prefix?: string; expectLines?: boolean } = {}): Promise<AtReply> {
    const r = await this.o.channel.send(command, { ...opts, secret });
    if (!this.alive(ep)) throw CANCELLED;
    return r;
  }

  /** Best effort (identity, operator, URC set-up): a refusal or bad reply is logged; timeouts still count. */
  protected async best(ep: number, f: () => Promise<unknown>): Promise<void> {
    try {
      await f();
    } catch (e) {
      if (e === CANCELLED || !this.alive(ep)) throw CANCELLED;
      const code = errorCode(e);
      if (code === 'SP_MODEM_AT_TIMEOUT' || code === 'SP_MODEM_PORT_CLOSED' || code === 'SP_MODEM_ABORTED') throw e;
      this.log.debug({ err: (e as Error).message, code }, 'optional query failed');
    }
  }
}
