/**
 * ModemMachine: the modem's state machine (one enum, ModemState), after ModemManager's
 * probe → init → SIM → registration → bearer sequence (docs/background.md §Modem and AT facts;
 * docs/protocols/modem.md §State machine). It brings the modem online by itself and reacts to
 * URCs and to the port coming and going; it never decides on recovery — runtime/modem's
 * RecoveryLadder calls requery / reattach / reset / power-cycle, and reads `state`, `failure`
 * and `info` to know why the pole is not online.
 */
import { parseUrc, URC_PREFIXES, type Urc } from '../../protocols/at/urc.js';
import { errorCode } from '../../protocols/errors.js';
import type { AtReply } from './at-channel.js';
import { ModemState, RADIO_STATES, SIM_PROBLEM_STATES } from './modem-state.js';
import { summarizeRegistration } from './modem-info.js';
import { ModemHostPath } from './modem-host-path.js';

export type { ModemMachineOptions, ModemPort, StateChange, Failure } from './modem-core.js';

export class ModemMachine extends ModemHostPath {
  start(): void {
    if (this.state !== ModemState.Stopped || this.epoch > 0) return;
    this.o.port.on('open', () => this.onPortOpen());
    this.o.port.on('close', (r) => this.onPortClose(r));
    this.o.channel.on('timeout', (cmd, n) => this.onTimeout(cmd, n));
    for (const p of URC_PREFIXES) this.o.channel.onUrc(p, (line) => this.onUrc(parseUrc(line)));
    if (this.o.port.isOpen) this.onPortOpen();
    else this.enter(ModemState.Absent, `waiting for ${this.o.port.path}`);
  }

  stop(): void {
    this.enter(ModemState.Stopped, 'stopped');
    this.queries.cancel();
    this.o.channel.abortAll('stopped');
  }

  // ── actions for the recovery ladder and commands ─────────────────────────────────────────

  /** Re-query: run the checks again from the SIM on (from the probe when not answering). */
  requery(): void {
    if (!this.o.port.isOpen) return;
    if (this.state === ModemState.Hung || this.state === ModemState.Probing) {
      const ep = this.enter(ModemState.Probing, 'recovery: re-probe');
      this.launch(ep, () => this.probe());
      return;
    }
    const ep = this.enter(ModemState.SimCheck, 'recovery: re-query');
    this.launch(ep, () => this.simCheck());
  }

  /** Re-attach: tear the data context down and bring it up again; not registered → new network selection. */
  reattach(): void {
    if (!this.o.port.isOpen) return;
    const v = summarizeRegistration(this.info.registration).verdict;
    if (v === 'home' || v === 'roaming') {
      const ep = this.enter(ModemState.Connecting, 'recovery: re-attach the data context');
      this.launch(ep, () => this.connect(true));
      return;
    }
    const ep = this.enter(ModemState.Registering, 'recovery: new network selection (AT+COPS=0)');
    this.launch(ep, async () => {
      await this.send(ep, this.o.profile.reregister);
      await this.register(ep);
    });
  }

  /** AT+CFUN=1,1: the module reboots; RDY and (on USB) a port re-enumeration follow. */
  reset(): void {
    this.o.channel.abortAll('modem reset');
    const ep = this.enter(ModemState.Resetting, `${this.o.profile.reset} sent`);
    this.info.data.upSince = null;
    this.bootDeadline(ep);
    this.o.channel.send(this.o.profile.reset, { urgent: true }).then(
      () => this.log.info('modem accepted the reset'),
      (e: Error) => {
        // A port that vanishes mid-command is the reset starting: keep waiting for the boot.
        if (!this.alive(ep) || errorCode(e) === 'SP_MODEM_PORT_CLOSED') return;
        this.enter(this.o.port.isOpen ? ModemState.Hung : ModemState.Absent, `reset not accepted: ${e.message}`, 'SP_MODEM_RESET_FAILED');
      },
    );
  }

  /** The power-cycle hook is about to run: the port will vanish and come back. */
  beginPowerCycle(): void {
    this.o.channel.abortAll('power cycle');
    this.info.data.upSince = null;
    this.enter(ModemState.PowerCycling, 'power-cycle hook running');
  }

  /** The hook finished: wait for the boot, or say why it failed. */
  endPowerCycle(ok: boolean, message: string): void {
    if (this.state !== ModemState.PowerCycling) return;
    if (!ok) {
      this.enter(this.o.port.isOpen ? ModemState.Hung : ModemState.Absent, message, 'SP_MODEM_POWER_CYCLE_FAILED');
      return;
    }
    this.bootDeadline(this.epoch);
  }

  /** Registration, signal, cell and operator; false when no valid radio values (or not pollable). */
  async poll(): Promise<boolean> {
    if (!RADIO_STATES.has(this.state)) return false;
    const ep = this.epoch;
    await this.queries.registration();
    if (this.alive(ep)) this.onRegistrationChange('registration re-check');
    const valid = await this.queries.signal();
    this.emit('signal');
    return valid;
  }

  /** Data-context check while online; a context that went away is brought back. */
  async checkData(): Promise<boolean> {
    if (this.state !== ModemState.Online) return false;
    const ep = this.epoch;
    if (this.o.host) {
      if (this.callByModule) return true; // the host link (checkHost) is the only witness
      const call = await this.queries.dataCall(this.o.data.cid);
      if (!this.alive(ep)) return false;
      if (call?.connected) return true;
    } else {
      const ctx = await this.queries.dataContext(this.o.data.cid);
      if (!this.alive(ep)) return false;
      if (ctx) {
        this.info.data.addresses = ctx.addresses;
        return true;
      }
    }
    this.counters.dataLosses++;
    this.info.data.upSince = null;
    const next = this.enter(ModemState.Connecting, `data ${this.o.host ? 'call found down (AT+QNETDEVCTL?)' : 'context found down (AT+QIACT?)'}`, 'SP_MODEM_DATA_LOST');
    this.launch(next, () => this.connect(true));
    return false;
  }

  /** Raw command for technicians (console `modem at …`). */
  at(command: string, timeoutMs?: number): Promise<AtReply> {
    return this.o.channel.send(command, { timeoutMs });
  }

  // ── events ─────────────────────────────────────────────────────────────────────────────────

  private onPortOpen(): void {
    if (this.state === ModemState.Stopped && this.epoch > 0) return;
    const ep = this.enter(ModemState.Probing, `AT port ${this.o.port.path} open`);
    this.launch(ep, () => this.probe());
  }

  private onPortClose(reason: string): void {
    if (this.state === ModemState.Stopped) return;
    this.queries.cancel();
    this.info.data.upSince = null;
    // During a reset or power cycle the port is expected to vanish: keep waiting for the boot.
    if (this.state === ModemState.Resetting || this.state === ModemState.PowerCycling) return;
    this.enter(ModemState.Absent, `AT port lost: ${reason}`, 'SP_MODEM_ABSENT');
  }

  private onTimeout(command: string, consecutive: number): void {
    // Probing has its own boot window; the others are not talking to a live modem anyway.
    const exempt = [ModemState.Probing, ModemState.Hung, ModemState.Resetting, ModemState.PowerCycling, ModemState.Absent, ModemState.Stopped];
    if (consecutive < (this.o.maxConsecutiveTimeouts ?? 3) || exempt.includes(this.state)) return;
    this.o.channel.abortAll('modem hung');
    this.info.data.upSince = null;
    this.enter(ModemState.Hung, `${consecutive} AT commands unanswered (last: ${command})`, 'SP_MODEM_HUNG');
  }

  private onUrc(u: Urc): void {
    const s = this.state;
    if (s === ModemState.Stopped) return;
    switch (u.kind) {
      case 'ready': {
        // RDY while booting is the banner; after the SIM check it means the modem reset itself.
        const unexpected = RADIO_STATES.has(s) || SIM_PROBLEM_STATES.has(s) || s === ModemState.Hung;
        if (unexpected) this.counters.resetsDetected++;
        this.o.channel.abortAll('modem restarted');
        this.info.data.upSince = null;
        const ep = unexpected
          ? this.enter(ModemState.Probing, 'modem restarted on its own (RDY); re-probing', 'SP_MODEM_RESET_DETECTED')
          : this.enter(ModemState.Probing, 'modem booted (RDY)');
        this.launch(ep, () => this.probe());
        return;
      }
      case 'powered-down':
        if (s === ModemState.Resetting || s === ModemState.PowerCycling) return;
        this.o.channel.abortAll('modem powered down');
        this.enter(ModemState.Absent, 'modem powered down (POWERED DOWN)', 'SP_MODEM_ABSENT');
        return;
      case 'sim': {
        this.info.sim.status = u.status;
        // Online and the SIM says anything but READY, or a SIM problem and the SIM says something new.
        const lost = RADIO_STATES.has(s) && u.status !== 'READY';
        const changed = SIM_PROBLEM_STATES.has(s) && u.status !== 'NOT READY';
        if (!lost && !changed) return;
        this.info.data.upSince = null;
        const ep = this.enter(ModemState.SimCheck, `SIM reports ${u.status}`);
        this.launch(ep, () => this.simCheck());
        return;
      }
      case 'registration':
        this.queries.applyRegistration(u.reg.domain, u.reg);
        this.onRegistrationChange(`registration URC (${u.reg.domain})`);
        return;
      case 'pdp-deactivated':
      case 'netdev': {
        if (u.kind === 'netdev' && u.connected) return;
        if ((u.kind === 'pdp-deactivated' && u.cid !== this.o.data.cid) || (s !== ModemState.Online && s !== ModemState.Connecting)) return;
        this.counters.dataLosses++;
        this.info.data.upSince = null;
        const ep = this.enter(ModemState.Connecting, 'the network dropped the data context', 'SP_MODEM_DATA_LOST');
        this.launch(ep, () => this.connect(true));
        return;
      }
      case 'ping':
        this.queries.onPing(u.ping);
        return;
      default:
        return;
    }
  }

  private bootDeadline(ep: number): void {
    this.after(ep, this.o.timing.bootTimeoutMs, () => {
      if (!this.o.port.isOpen) {
        this.enter(ModemState.Absent, `AT port did not come back within ${Math.round(this.o.timing.bootTimeoutMs / 1000)} s`, 'SP_MODEM_RESET_FAILED');
        return;
      }
      const next = this.enter(ModemState.Probing, 'no boot seen within the boot timeout; probing', 'SP_MODEM_RESET_FAILED');
      this.launch(next, () => this.probe());
    });
  }
}
