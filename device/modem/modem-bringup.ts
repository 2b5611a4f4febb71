/**
 * The bring-up steps of the modem state machine, in ModemManager's order (docs/background.md §Modem and AT facts): probe and init (E0, V1, +CMEE=1), identity, SIM (PIN from config, never the last attempt),
 * URC set-up, registration (URCs plus a re-query every `registrationPollMs`), data context.
 * Commands come from the profile; this file only decides what the answers mean.
 */
import { CmeCode, CmeError } from '../../protocols/at/cme.js';
import { parseAti, parseIccid, parseImei, parseImsi } from '../../protocols/at/identity.js';
import { parseCpin, parseQpinc, type SimStatus } from '../../protocols/at/sim.js';
import { errorCode } from '../../protocols/errors.js';
import { ModemState } from './modem-state.js';
import { summarizeRegistration } from './modem-info.js';
import { CANCELLED, isRefusal, ModemCore } from './modem-core.js';

export abstract class ModemBringUp extends ModemCore {
  /** Host data path: makes sure the module exposes the configured USB network function; true when it reboots to apply it. */
  protected abstract ensureUsbnet(ep: number): Promise<boolean>;
  /** Host data path: the data call, then the lease and default route on the host interface. */
  protected abstract connectHost(ep: number, deactivateFirst: boolean): Promise<void>;

  /** The configured PIN the SIM refused: never offered again (it would walk the SIM into PUK). */
  private rejectedPin: string | null = null;

  protected retry(): void {
    switch (this.state) {
      case ModemState.Probing: return this.launch(this.epoch, () => this.probe());
      case ModemState.SimCheck: return this.launch(this.epoch, () => this.simCheck());
      case ModemState.Registering: case ModemState.Denied: return this.launch(this.epoch, () => this.register(this.epoch));
      case ModemState.Connecting: return this.launch(this.epoch, () => this.connect(false));
      default: return;
    }
  }

  protected async probe(): Promise<void> {
    const ep = this.epoch;
    this.counters.probes++;
    // A modem that just enumerated answers only once booted: keep asking for the boot window.
    const deadline = this.now() + this.o.timing.bootTimeoutMs;
    for (;;) {
      try {
        await this.send(ep, this.o.profile.probe);
        break;
      } catch (e) {
        if (errorCode(e) !== 'SP_MODEM_AT_TIMEOUT') throw e;
        if (this.now() >= deadline) {
          this.enter(ModemState.Hung, `no answer to ${this.o.profile.probe} for ${Math.round(this.o.timing.bootTimeoutMs / 1000)} s`, 'SP_MODEM_HUNG');
          return;
        }
        await this.sleep(ep, this.o.timing.retryMs);
      }
    }
    for (const step of this.o.profile.init) {
      try {
        await this.send(ep, step.cmd, step.secret);
      } catch (e) {
        if (!step.optional || !isRefusal(e)) throw e;
      }
    }
    const id = this.info.identity;
    await this.best(ep, async () => Object.assign(id, parseAti((await this.send(ep, this.o.profile.identity.ati)).lines)));
    await this.best(ep, async () => { id.imei = parseImei((await this.send(ep, this.o.profile.identity.imei)).lines).imei; });
    if (this.o.host && await this.ensureUsbnet(ep)) return;
    this.launch(this.enter(ModemState.SimCheck, 'modem answers; checking SIM'), () => this.simCheck());
  }

  protected async simCheck(): Promise<void> {
    const ep = this.epoch;
    const deadline = this.now() + this.o.timing.simReadyTimeoutMs;
    let status: SimStatus | 'absent';
    for (;;) {
      status = await this.simStatus(ep);
      this.info.sim.status = status;
      if (status !== 'NOT READY') break;
      if (this.now() > deadline) {
        this.enter(ModemState.SimFailure, `SIM not ready after ${Math.round(this.o.timing.simReadyTimeoutMs / 1000)} s`, 'SP_MODEM_SIM_FAILURE');
        return;
      }
      await this.sleep(ep, this.o.timing.retryMs);
    }
    switch (status) {
      case 'READY':
        break;
      case 'SIM PIN':
        return this.unlock(ep);
      case 'SIM PUK': case 'SIM PUK2': case 'PH-NET PUK':
        this.enter(ModemState.SimPuk, `SIM blocked (${status}): a technician must enter the PUK`, 'SP_MODEM_SIM_PUK');
        return;
      case 'absent': case 'NOT INSERTED':
        this.enter(ModemState.SimMissing, 'no SIM card inserted', 'SP_MODEM_SIM_MISSING');
        return;
      default:
        this.enter(ModemState.SimPin, `SIM asks for ${status}`, 'SP_MODEM_SIM_PIN');
        return;
    }
    const id = this.info.identity;
    await this.best(ep, async () => { id.iccid = parseIccid((await this.send(ep, this.o.profile.identity.iccid)).lines); });
    await this.best(ep, async () => { id.imsi = parseImsi((await this.send(ep, this.o.profile.identity.imsi)).lines); });
    for (const step of this.o.profile.urcSetup) await this.best(ep, () => this.send(ep, step.cmd));
    const next = this.enter(ModemState.Registering, 'SIM ready; registering');
    this.launch(next, () => this.register(next));
  }

  /** +CPIN? with the CME answers folded in: 10 → absent, 14 (busy) → NOT READY. */
  private async simStatus(ep: number): Promise<SimStatus | 'absent'> {
    try {
      const r = await this.send(ep, this.o.profile.sim.status, false, { prefix: '+CPIN:', expectLines: true });
      return parseCpin(r.lines[0]!);
    } catch (e) {
      if (!(e instanceof CmeError)) {
        if (errorCode(e) === 'SP_AT_ERROR') return 'NOT READY'; // before +CMEE=1 takes, SIM trouble is a bare ERROR
        throw e;
      }
      switch (e.cme) {
        case CmeCode.SimNotInserted: return 'absent';
        case CmeCode.SimPin: return 'SIM PIN';
        case CmeCode.SimPuk: return 'SIM PUK';
        case CmeCode.SimBusy: return 'NOT READY';
        case CmeCode.SimFailure: case CmeCode.SimWrong:
          this.enter(ModemState.SimFailure, `SIM failure (${e.message})`, 'SP_MODEM_SIM_FAILURE');
          throw CANCELLED;
        default: throw e;
      }
    }
  }

  private async pinCounters(ep: number): Promise<void> {
    await this.best(ep, async () => {
      const c = parseQpinc((await this.send(ep, this.o.profile.sim.pinCounters, false, { prefix: '+QPINC:', expectLines: true })).lines[0]!);
      this.info.sim.pinAttempts = c.pinAttempts;
      this.info.sim.pukAttempts = c.pukAttempts;
    });
  }

  private async unlock(ep: number): Promise<void> {
    const pin = this.o.simPin;
    await this.pinCounters(ep);
    const left = this.info.sim.pinAttempts;
    if (!pin) return void this.enter(ModemState.SimPin, 'the SIM needs a PIN and devices.modem.simPin is not set', 'SP_MODEM_SIM_PIN');
    if (pin === this.rejectedPin) return void this.enter(ModemState.SimPin, 'the configured PIN was refused before; not offered again', 'SP_MODEM_PIN_REJECTED');
    // Never spend the last attempt automatically: a wrong PIN in the config must not block the SIM.
    if (left !== null && left < 2) return void this.enter(ModemState.SimPin, `only ${left} PIN attempt left: enter the PIN by hand`, 'SP_MODEM_SIM_PIN');
    try {
      this.counters.pinEntries++;
      await this.send(ep, this.o.profile.sim.enterPin(pin), true);
    } catch (e) {
      if (!(e instanceof CmeError)) throw e;
      this.rejectedPin = pin;
      await this.pinCounters(ep);
      const n = this.info.sim.pinAttempts;
      this.enter(ModemState.SimPin, `the SIM refused the configured PIN (${e.meaning}${n !== null ? `, ${n} attempts left` : ''}); not retried`, 'SP_MODEM_PIN_REJECTED');
      return;
    }
    this.log.info('SIM PIN accepted');
    await this.sleep(ep, this.o.timing.retryMs);
    return this.simCheck();
  }

  protected async register(ep: number): Promise<void> {
    for (;;) {
      await this.queries.registration();
      if (!this.alive(ep)) return;
      if (this.onRegistrationChange('registration query')) return;
      await this.sleep(ep, this.o.timing.registrationPollMs);
    }
  }

  /**
   * Moves between registering / denied / connecting / online on a registration change.
   * Returns true when the state changed (the caller's loop is done).
   */
  protected onRegistrationChange(why: string): boolean {
    const r = summarizeRegistration(this.info.registration);
    const registered = r.verdict === 'home' || r.verdict === 'roaming';
    const s = this.state;
    if ((s === ModemState.Registering || s === ModemState.Denied) && registered) {
      const ep = this.enter(ModemState.Connecting, `registered (${r.verdict}); activating data`);
      this.launch(ep, async () => {
        await this.best(ep, () => this.queries.operator());
        await this.connect(false);
      });
      return true;
    }
    if (s === ModemState.Registering && r.verdict === 'denied') {
      const ep = this.enter(ModemState.Denied, `the network refused registration${r.rejectCause !== null ? ` (cause ${r.rejectCause})` : ''}`, 'SP_MODEM_REG_DENIED');
      this.launch(ep, () => this.register(ep));
      return true;
    }
    if (s === ModemState.Denied && r.verdict !== 'denied') {
      const ep = this.enter(ModemState.Registering, `${why}: ${r.verdict}`);
      this.launch(ep, () => this.register(ep));
      return true;
    }
    if ((s === ModemState.Connecting || s === ModemState.Online) && !registered) {
      this.counters.registrationLosses++;
      this.info.data.upSince = null;
      const denied = r.verdict === 'denied';
      const ep = this.enter(denied ? ModemState.Denied : ModemState.Registering, `network registration lost (${r.verdict})`, denied ? 'SP_MODEM_REG_DENIED' : 'SP_MODEM_NO_SERVICE');
      this.launch(ep, () => this.register(ep));
      return true;
    }
    return false;
  }

  protected async connect(deactivateFirst: boolean): Promise<void> {
    const ep = this.epoch;
    if (this.o.host) return this.connectHost(ep, deactivateFirst);
    const d = this.o.data;
    // Quectel: after +QIURC "pdpdeact" the host must deactivate before activating again.
    if (deactivateFirst) await this.best(ep, () => this.send(ep, this.o.profile.data.deactivate(d.cid)));
    for (const step of this.o.profile.data.configure(d)) await this.send(ep, step.cmd, step.secret);
    let ctx = await this.queries.dataContext(d.cid);
    if (!ctx) {
      try {
        this.counters.dataActivations++;
        await this.send(ep, this.o.profile.data.activate(d.cid));
      } catch (e) {
        if (e === CANCELLED || ['SP_MODEM_PORT_CLOSED', 'SP_MODEM_ABORTED'].includes(errorCode(e))) throw e;
        this.counters.dataFailures++;
        this.fail('SP_MODEM_DATA_FAILED', `data context ${d.cid} (APN ${d.apn}) did not come up: ${(e as Error).message}`);
        return;
      }
      ctx = await this.queries.dataContext(d.cid);
    }
    if (!this.alive(ep)) return;
    if (!ctx) {
      this.counters.dataFailures++;
      this.fail('SP_MODEM_DATA_FAILED', `data context ${d.cid} has no address after activation`);
      return;
    }
    this.info.data = { cid: d.cid, addresses: ctx.addresses, upSince: this.now() };
    this.enter(ModemState.Online, `data context ${d.cid} up (${ctx.addresses.join(', ')})`);
  }
}
