/**
 * Everything the simulated RM500Q remembers, in one object: power, AT settings, SIM, network,
 * data context and the faults injected through /api/faults. A reboot resets what a real module
 * forgets at power-up (echo back on, +CMEE 0, URC modes 0, contexts down, PIN needed again).
 */
export enum SimModemPower {
  Off = 'off',
  /** Port present (or re-enumerating), firmware not answering yet. */
  Booting = 'booting',
  On = 'on',
}

export type NetworkCondition = 'ok' | 'dropped' | 'no-signal' | 'denied';

export interface SimModemState {
  now: () => number;
  power: SimModemPower;
  model: string;
  revision: string;
  imei: string;
  echo: boolean;
  cmee: 0 | 1 | 2;
  cfun: 0 | 1 | 4;
  regN: { '5gs': number; eps: number; cs: number };
  sim: {
    inserted: boolean;
    lock: 'none' | 'pin' | 'puk';
    pin: string;
    puk: string;
    unlocked: boolean;
    pinAttempts: number;
    pukAttempts: number;
    /** Before this the SIM answers "busy" (+CME ERROR: 14), as after boot. */
    readyAt: number;
    iccid: string;
    imsi: string;
  };
  network: { condition: NetworkCondition; rejectCause: number; camped: boolean };
  ctx: { cid: number; pdpType: string; apn: string; active: boolean; ip: string; /** Brought up by AT+QNETDEVCTL (host data path), not AT+QIACT. */ netdev: boolean };
  /** `AT+QCFG="usbnet"`: kept across reboots (the module persists it); 0 RmNet is the factory value. */
  usbnet: number;
  faults: {
    hang: boolean;
    slowMs: number;
    garbageEveryMs: number;
    /** QIACT refused ('activate') or a context that passes no traffic ('stall'). */
    data: 'none' | 'activate' | 'stall';
    dataPersist: boolean;
  };
}

export function initialState(now: () => number, pin: string, puk: string): SimModemState {
  return {
    now,
    power: SimModemPower.Off,
    model: 'RM500Q-GL',
    revision: 'RM500QGLABR11A06M4G',
    imei: '869710030002905',
    echo: true,
    cmee: 0,
    cfun: 1,
    regN: { '5gs': 0, eps: 0, cs: 0 },
    sim: { inserted: true, lock: 'none', pin, puk, unlocked: false, pinAttempts: 3, pukAttempts: 10, readyAt: 0, iccid: '89860012345678901237', imsi: '460001234567890' },
    network: { condition: 'ok', rejectCause: 15, camped: false },
    ctx: { cid: 1, pdpType: 'IPV4V6', apn: 'cmnet', active: false, ip: '', netdev: false },
    usbnet: 0,
    faults: { hang: false, slowMs: 0, garbageEveryMs: 0, data: 'none', dataPersist: false },
  };
}

/** What a power-up forgets. */
export function afterBoot(s: SimModemState): void {
  s.echo = true;
  s.cmee = 0;
  s.cfun = 1;
  s.regN = { '5gs': 0, eps: 0, cs: 0 };
  s.sim.unlocked = false;
  s.network.camped = false;
  s.ctx.active = false;
  s.ctx.ip = '';
  s.ctx.netdev = false;
  s.faults.hang = false;
  if (s.faults.data === 'stall' && !s.faults.dataPersist) s.faults.data = 'none';
}
