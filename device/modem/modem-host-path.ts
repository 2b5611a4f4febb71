/**
 * The host data path of the modem state machine (docs/protocols/modem.md §Host data path): the
 * module exposes a USB network function (ECM by default; `AT+QCFG="usbnet"`, persisted in the
 * module, applied by a reboot), the data call connects it (`AT+QNETDEVCTL`), and the host's own
 * network stack takes the DHCP lease. `online` means the host is online: a lease on the interface
 * and the default route (and the broker's route) through it. A route that vanishes while the
 * modem still says attached is a data stall for the recovery ladder.
 */
import { parseUsbnet, USBNET_NAMES, type UsbNetMode } from '../../protocols/at/usbnet.js';
import { errorCode } from '../../protocols/errors.js';
import { describeHostLink } from '../net/host-link.js';
import { ModemState } from './modem-state.js';
import { CANCELLED, isRefusal } from './modem-core.js';
import { ModemBringUp } from './modem-bringup.js';

export abstract class ModemHostPath extends ModemBringUp {
  /** The mode was set once this run: a module that still reports another one does not get a reboot loop. */
  private usbnetTried = false;
  private routeMissingSince: number | null = null;
  /**
   * The firmware refuses AT+QNETDEVCTL: in ECM router mode it dials by itself (Qualcomm-based
   * RM5xxQ/RM520N report the call with AT+QMAP="WWAN" instead); the host link alone then says
   * whether the call is up.
   */
  callByModule = false;

  /** AT+CFUN=1,1 (ModemMachine). */
  abstract reset(): void;

  protected async ensureUsbnet(ep: number): Promise<boolean> {
    const h = this.o.host!;
    const p = this.o.profile.host;
    let mode: UsbNetMode;
    try {
      mode = parseUsbnet((await this.send(ep, p.usbnetQuery, false, { prefix: '+QCFG:', expectLines: true })).lines);
    } catch (e) {
      if (e === CANCELLED || !isRefusal(e)) throw e;
      this.fail('SP_MODEM_USBNET', `the module does not answer ${p.usbnetQuery} (${(e as Error).message}); assuming ${USBNET_NAMES[h.usbnet]}`);
      return false;
    }
    this.info.host!.usbnet = USBNET_NAMES[mode];
    if (mode === h.usbnet) return false;
    if (this.usbnetTried) {
      this.fail('SP_MODEM_USBNET', `USB network mode is ${USBNET_NAMES[mode]} after switching it to ${USBNET_NAMES[h.usbnet]}; not retried`);
      return false;
    }
    this.usbnetTried = true;
    this.counters.usbnetSwitches++;
    await this.send(ep, p.usbnetSet(h.usbnet));
    this.log.warn({ from: USBNET_NAMES[mode], to: USBNET_NAMES[h.usbnet] }, 'USB network mode switched (persisted in the module); rebooting it to apply');
    this.reset();
    return true;
  }

  protected async connectHost(ep: number, deactivateFirst: boolean): Promise<void> {
    const d = this.o.data;
    const p = this.o.profile.host;
    const t = this.o.timing;
    if (deactivateFirst) await this.best(ep, () => this.send(ep, p.disconnect(d.cid)));
    for (const step of this.o.profile.data.configure(d)) await this.send(ep, step.cmd, step.secret);
    let call = null;
    if (!this.callByModule) {
      try {
        call = await this.queries.dataCall(d.cid);
      } catch (e) {
        if (e === CANCELLED || !isRefusal(e)) throw e;
        this.callByModule = true;
        this.log.info({ err: (e as Error).message }, `${p.callStatus} refused: the module makes the data call itself (ECM router mode); waiting for the host link`);
      }
    }
    if (!this.callByModule && !call?.connected) {
      try {
        this.counters.dataActivations++;
        await this.send(ep, p.connect(d.cid));
      } catch (e) {
        if (e === CANCELLED || ['SP_MODEM_PORT_CLOSED', 'SP_MODEM_ABORTED'].includes(errorCode(e))) throw e;
        this.counters.dataFailures++;
        this.fail('SP_MODEM_DATA_FAILED', `data call on context ${d.cid} (APN ${d.apn}) refused: ${(e as Error).message}`);
        return;
      }
    }
    // The call is up on the module; the host's network stack now takes the lease and the route.
    const deadline = this.now() + t.hostLinkTimeoutMs;
    for (;;) {
      const s = this.o.host!.read();
      this.info.host!.link = s;
      if (!s.problem) break;
      if (this.now() >= deadline) {
        this.counters.dataFailures++;
        this.fail('SP_MODEM_HOST_LINK', `data call up but ${s.problem} after ${Math.round(t.hostLinkTimeoutMs / 1000)} s`);
        return;
      }
      await this.sleep(ep, t.hostPollMs);
    }
    const s = this.info.host!.link!;
    this.routeMissingSince = null;
    this.info.data = { cid: d.cid, addresses: [s.address!], upSince: this.now() };
    this.enter(ModemState.Online, `data call ${d.cid} up; ${describeHostLink(s)}`);
  }

  /**
   * While online: reads the interface again (the service calls this on its tick). The route gone
   * for `hostStallMs` while the modem still says attached → SP_MODEM_DATA_STALL (recovery `data`).
   * Returns the problem, or null when the host is online through the interface.
   */
  checkHost(): string | null {
    if (!this.o.host) return null;
    const s = this.o.host.read();
    this.info.host!.link = s;
    if (this.state !== ModemState.Online) return s.problem;
    if (!s.problem) {
      this.routeMissingSince = null;
      return null;
    }
    const now = this.now();
    this.routeMissingSince ??= now;
    const stalled = now - this.routeMissingSince >= this.o.timing.hostStallMs;
    if (stalled && this.failure?.code !== 'SP_MODEM_DATA_STALL') {
      this.counters.routeLosses++;
      this.fail('SP_MODEM_DATA_STALL', `the modem says attached but ${s.problem} (for ${Math.round((now - this.routeMissingSince) / 1000)} s)`);
    }
    return s.problem;
  }
}
