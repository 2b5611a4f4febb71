/**
 * The thin vendor profile: what a Quectel RM500Q/RM520N is asked, as data
 * (docs/background.md §Modem and AT facts; ModemManager's src/plugins/quectel/). The state machine walks these
 * sequences and never spells a command itself, so another module family is a new profile.
 */
import type { RegDomain } from '../../protocols/at/registration.js';
import type { UsbNetMode } from '../../protocols/at/usbnet.js';

export interface AtStep {
  cmd: string;
  /** An ERROR here is logged and skipped (the command is not on every firmware). */
  optional?: boolean;
  /** Carries a secret (PIN, APN password): never logged. */
  secret?: boolean;
  why: string;
}

export interface DataSettings {
  cid: number;
  apn: string;
  /** 1 IPv4, 2 IPv6, 3 IPv4v6 (AT+QICSGP). */
  contextType: 1 | 2 | 3;
  user: string;
  password: string;
  /** 0 none, 1 PAP, 2 CHAP, 3 PAP or CHAP. */
  auth: 0 | 1 | 2 | 3;
}

export interface ModemProfile {
  name: string;
  /** Port probe: answered by anything alive. */
  probe: string;
  /** Primary-port init after a probe (MM src/mm-broadband-modem.c: E0, V1, +CMEE=1, X4, &C1). */
  init: AtStep[];
  identity: { ati: string; imei: string; iccid: string; imsi: string };
  sim: { status: string; enterPin: (pin: string) => string; pinCounters: string };
  /** Once the SIM is ready: registration URCs with location (n=2) for every domain. */
  urcSetup: AtStep[];
  /** Registration read commands, 5GS first (SA), then EPS (LTE/NSA), then CS. */
  registration: { domain: RegDomain; query: string }[];
  operator: string;
  /** Automatic network selection: forces a new registration attempt. */
  reregister: string;
  data: {
    configure: (d: DataSettings) => AtStep[];
    activate: (cid: number) => string;
    deactivate: (cid: number) => string;
    status: string;
    /** Data-path test through the modem's own stack; results come as +QPING URCs. */
    ping: (cid: number, host: string, timeoutSec: number, count: number) => string;
  };
  signal: { servingCell: string; csq: string; networkInfo: string; temperature: string };
  /**
   * The host data path (docs/protocols/modem.md §Host data path): the USB network function the
   * module exposes (persisted in the module; takes effect after a reboot) and the data call that
   * connects it. The host's own network stack takes the DHCP lease on the interface.
   */
  host: {
    usbnetQuery: string;
    usbnetSet: (mode: UsbNetMode) => string;
    callStatus: string;
    connect: (cid: number) => string;
    disconnect: (cid: number) => string;
    /** The addresses the module hands out on the USB interface (informational). */
    addresses: (cid: number) => string;
  };
  /** Full functionality with reset: reboots the module (the USB ports re-enumerate). */
  reset: string;
}

export const QUECTEL_RM5XX: ModemProfile = {
  name: 'Quectel RM500Q/RM520N',
  probe: 'AT',
  init: [
    { cmd: 'ATE0', why: 'echo off (the channel removes echo anyway, e.g. right after a reset)' },
    { cmd: 'ATV1', why: 'verbose result codes: OK/ERROR as text' },
    { cmd: 'AT+CMEE=1', why: 'numeric +CME ERROR codes instead of a bare ERROR' },
    { cmd: 'ATX4', optional: true, why: 'extended result codes (MM primary-port init)' },
    { cmd: 'AT&C1', optional: true, why: 'DCD follows the carrier (MM primary-port init)' },
  ],
  identity: { ati: 'ATI', imei: 'AT+CGSN', iccid: 'AT+QCCID', imsi: 'AT+CIMI' },
  sim: { status: 'AT+CPIN?', enterPin: (pin) => `AT+CPIN="${pin}"`, pinCounters: 'AT+QPINC="SC"' },
  urcSetup: [
    { cmd: 'AT+C5GREG=2', optional: true, why: '5GS registration URCs with TAC and cell id' },
    { cmd: 'AT+CEREG=2', why: 'EPS registration URCs with TAC and cell id' },
    { cmd: 'AT+CREG=2', optional: true, why: 'CS registration URCs (LTE-only SIMs report here on some firmware)' },
  ],
  registration: [
    { domain: '5gs', query: 'AT+C5GREG?' },
    { domain: 'eps', query: 'AT+CEREG?' },
    { domain: 'cs', query: 'AT+CREG?' },
  ],
  operator: 'AT+COPS?',
  reregister: 'AT+COPS=0',
  data: {
    configure: (d) => [
      { cmd: `AT+QICSGP=${d.cid},${d.contextType},"${d.apn}","${d.user}","${d.password}",${d.auth}`, secret: d.password !== '', why: 'APN and credentials of the data context' },
    ],
    activate: (cid) => `AT+QIACT=${cid}`,
    deactivate: (cid) => `AT+QIDEACT=${cid}`,
    status: 'AT+QIACT?',
    ping: (cid, host, timeoutSec, count) => `AT+QPING=${cid},"${host}",${timeoutSec},${count}`,
  },
  host: {
    usbnetQuery: 'AT+QCFG="usbnet"',
    usbnetSet: (mode) => `AT+QCFG="usbnet",${mode}`,
    callStatus: 'AT+QNETDEVCTL?',
    connect: (cid) => `AT+QNETDEVCTL=1,${cid},1`,
    disconnect: (cid) => `AT+QNETDEVCTL=0,${cid},1`,
    addresses: (cid) => `AT+QNETDEVSTATUS=${cid}`,
  },
  signal: { servingCell: 'AT+QENG="servingcell"', csq: 'AT+CSQ', networkInfo: 'AT+QNWINFO', temperature: 'AT+QTEMP' },
  reset: 'AT+CFUN=1,1',
};
