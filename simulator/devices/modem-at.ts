/**
 * The simulated modem's AT command interpreter: one command line in, the reply lines, final
 * result and latency out, plus what the command changes. Formats follow docs/background.md §Modem and AT facts;
 * error results follow `+CMEE` (0: ERROR, 1: numeric, 2: text) as on a real module.
 */
import { CME_TEXT } from '../../protocols/at/cme.js';
import type { SimModemState } from './modem-sim-state.js';
import type { RadioModel } from './modem-radio.js';

export interface AtOutcome {
  lines: string[];
  final: string;
  /** Latency class (scaled by the modem's time scale): how long the module takes. */
  latencyMs: number;
  /** Runs once the reply is on the wire (reboots, URCs that follow a command). */
  after?: () => void;
}

/** What the interpreter may ask of the modem beyond its state. */
export interface AtHost {
  readonly s: SimModemState;
  readonly radio: RadioModel;
  /** 27.007 registration status of a domain right now. */
  regStat(domain: '5gs' | 'eps' | 'cs'): number;
  registered(): boolean;
  simReady(): boolean;
  reboot(reason: string): void;
  powerDown(): void;
  reselect(): void;
  setRadio(on: boolean): void;
  canActivate(): boolean;
  activate(): void;
  /** Activation a network round trip after the command's OK, announced by +QNETDEVSTATUS. */
  activateLater(): void;
  deactivate(): void;
  /** The address the host interface leased, when the data path is a real host interface (netns). */
  hostLease(): string | null;
  dataPathUp(): boolean;
  ping(host: string, timeoutSec: number, count: number): void;
  simChanged(): void;
}

const QUERY = 20;
const ok = (lines: string[] = [], latencyMs = QUERY, after?: () => void): AtOutcome => ({ lines, final: 'OK', latencyMs, after });

function cme(h: AtHost, code: number, latencyMs = QUERY): AtOutcome {
  const final = h.s.cmee === 0 ? 'ERROR' : h.s.cmee === 1 ? `+CME ERROR: ${code}` : `+CME ERROR: ${CME_TEXT[code] ?? 'unknown'}`;
  return { lines: [], final, latencyMs };
}
const error = (latencyMs = QUERY): AtOutcome => ({ lines: [], final: 'ERROR', latencyMs });

function regLine(h: AtHost, prefix: string, domain: '5gs' | 'eps' | 'cs', n: number): string {
  const stat = h.regStat(domain);
  if (n < 2 || (stat !== 1 && stat !== 5)) return `${prefix}: ${n},${stat}`;
  const loc = h.radio.location(domain);
  return `${prefix}: ${n},${stat},"${loc.tac}","${loc.ci}",${domain === '5gs' ? 11 : h.radio.rat === 'LTE' ? 7 : 7}`;
}

type Handler = (h: AtHost, m: RegExpExecArray) => AtOutcome;

const COMMANDS: [RegExp, Handler][] = [
  [/^AT$/i, () => ok()],
  [/^ATE([01])$/i, (h, m) => { h.s.echo = m[1] === '1'; return ok(); }],
  [/^ATV1$|^ATX\d$|^AT&C\d$|^AT\+QINDCFG=.*$|^AT\+QURCCFG=.*$/i, () => ok()],
  [/^AT\+CMEE=([012])$/i, (h, m) => { h.s.cmee = Number(m[1]) as 0 | 1 | 2; return ok(); }],
  [/^ATI$/i, (h) => ok(['Quectel', h.s.model, `Revision: ${h.s.revision}`])],
  [/^AT\+CGMR$/i, (h) => ok([h.s.revision])],
  [/^AT\+CGSN$/i, (h) => ok([h.s.imei])],
  [/^AT\+QCCID$/i, (h) => (h.s.sim.inserted ? ok([`+QCCID: ${h.s.sim.iccid}`]) : cme(h, 10))],
  [/^AT\+CIMI$/i, (h) => (h.simReady() ? ok([h.s.sim.imsi]) : cme(h, h.s.sim.inserted ? 11 : 10))],
  [/^AT\+CPIN\?$/i, (h) => {
    const sim = h.s.sim;
    if (!sim.inserted) return cme(h, 10);
    if (h.s.now() < sim.readyAt) return cme(h, 14);
    if (sim.lock === 'puk') return ok(['+CPIN: SIM PUK']);
    if (sim.lock === 'pin' && !sim.unlocked) return ok(['+CPIN: SIM PIN']);
    return ok(['+CPIN: READY']);
  }],
  [/^AT\+CPIN="?(\d{4,8})"?(?:,"?(\d{4,8})"?)?$/i, (h, m) => {
    const sim = h.s.sim;
    if (!sim.inserted) return cme(h, 10);
    if (sim.lock === 'puk') {
      if (!m[2]) return cme(h, 12);
      if (m[1] !== sim.puk) { sim.pukAttempts = Math.max(0, sim.pukAttempts - 1); return cme(h, 16, 300); }
      Object.assign(sim, { lock: 'pin', pin: m[2], unlocked: true, pinAttempts: 3, pukAttempts: 10 });
      return ok([], 300, () => h.simChanged());
    }
    if (sim.lock !== 'pin' || sim.unlocked) return cme(h, 3);
    if (m[1] !== sim.pin) {
      sim.pinAttempts--;
      if (sim.pinAttempts <= 0) { sim.lock = 'puk'; return { ...cme(h, 12, 300), after: () => h.simChanged() }; }
      return cme(h, 16, 300);
    }
    sim.unlocked = true;
    sim.pinAttempts = 3;
    return ok([], 300, () => h.simChanged());
  }],
  [/^AT\+QPINC="SC"$/i, (h) => ok([`+QPINC: "SC",${h.s.sim.pinAttempts},${h.s.sim.pukAttempts}`])],
  [/^AT\+CSQ$/i, (h) => ok([h.radio.csqLine()])],
  [/^AT\+QENG="servingcell"$/i, (h) => ok(h.radio.servingCellLines(h.s.ctx.active))],
  [/^AT\+QNWINFO$/i, (h) => ok(h.radio.qnwinfoLines(h.registered()))],
  [/^AT\+QTEMP$/i, (h) => ok(h.radio.temperatureLines())],
  [/^AT\+COPS\?$/i, (h) => ok([h.registered() ? `+COPS: 0,0,"${h.radio.operator}",${h.radio.act}` : '+COPS: 0'])],
  [/^AT\+COPS=0$/i, (h) => ok([], 2000, () => h.reselect())],
  [/^AT\+(C5GREG|CEREG|CREG)\?$/i, (h, m) => {
    const d = m[1]!.toUpperCase() === 'C5GREG' ? '5gs' : m[1]!.toUpperCase() === 'CEREG' ? 'eps' : 'cs';
    return ok([regLine(h, `+${m[1]!.toUpperCase()}`, d, h.s.regN[d])]);
  }],
  [/^AT\+(C5GREG|CEREG|CREG)=([0-3])$/i, (h, m) => {
    const d = m[1]!.toUpperCase() === 'C5GREG' ? '5gs' : m[1]!.toUpperCase() === 'CEREG' ? 'eps' : 'cs';
    h.s.regN[d] = Number(m[2]);
    return ok();
  }],
  [/^AT\+CFUN\?$/i, (h) => ok([`+CFUN: ${h.s.cfun}`])],
  [/^AT\+CFUN=1,1$/i, (h) => ok([], 200, () => h.reboot('AT+CFUN=1,1'))],
  [/^AT\+CFUN=([014])$/i, (h, m) => { h.setRadio(m[1] === '1'); h.s.cfun = Number(m[1]) as 0 | 1 | 4; return ok([], 500); }],
  [/^AT\+QPOWD(?:=\d)?$/i, (h) => ok([], 300, () => h.powerDown())],
  [/^AT\+CGDCONT\?$/i, (h) => ok([`+CGDCONT: ${h.s.ctx.cid},"${h.s.ctx.pdpType}","${h.s.ctx.apn}","0.0.0.0",0,0,0,0`])],
  [/^AT\+CGDCONT=(\d+),"([A-Z0-9]+)","([^"]*)"$/i, (h, m) => { Object.assign(h.s.ctx, { cid: Number(m[1]), pdpType: m[2], apn: m[3] }); return ok(); }],
  [/^AT\+QICSGP=(\d+),([123]),"([^"]*)","([^"]*)","([^"]*)",([0-3])$/i, (h, m) => {
    Object.assign(h.s.ctx, { cid: Number(m[1]), pdpType: ['', 'IP', 'IPV6', 'IPV4V6'][Number(m[2])], apn: m[3] });
    return ok();
  }],
  [/^AT\+QIACT=(\d+)$/i, (h, m) => {
    if (Number(m[1]) !== h.s.ctx.cid) return cme(h, 552);
    if (h.s.ctx.active) return ok([], QUERY);
    // Activation takes a network round trip; refused when not registered or when the network fails it.
    // The data path opens with the OK, not before.
    return h.canActivate() ? ok([], 1000, () => h.activate()) : error(1000);
  }],
  [/^AT\+QIACT\?$/i, (h) => ok(h.s.ctx.active ? [`+QIACT: ${h.s.ctx.cid},1,${h.s.ctx.pdpType === 'IP' ? 1 : h.s.ctx.pdpType === 'IPV6' ? 2 : 3},"${h.s.ctx.ip}"`] : [])],
  [/^AT\+QIDEACT=(\d+)$/i, (h) => { h.deactivate(); return ok([], 300); }],
  // Host data path (docs/protocols/modem.md §Host data path): USB network mode and the data call.
  [/^AT\+QCFG="usbnet"$/i, (h) => ok([`+QCFG: "usbnet",${h.s.usbnet}`])],
  [/^AT\+QCFG="usbnet",([0-3])$/i, (h, m) => { h.s.usbnet = Number(m[1]); return ok(); }],
  [/^AT\+QNETDEVCTL\?$/i, (h) => ok(h.s.ctx.netdev || h.s.ctx.active ? [`+QNETDEVCTL: 1,${h.s.ctx.cid},1,${h.s.ctx.active ? 1 : 0}`] : [])],
  [/^AT\+QNETDEVCTL=([0-3]),(\d+)(?:,([01]))?$/i, (h, m) => {
    if (Number(m[2]) !== h.s.ctx.cid) return cme(h, 552);
    if (m[1] === '0') { h.deactivate(); return ok([], 300); }
    if (h.s.ctx.active) return ok();
    // The OK comes at once; the call completes a network round trip later (+QNETDEVSTATUS URC).
    if (!h.canActivate()) return error(300);
    h.s.ctx.netdev = true;
    return ok([], QUERY, () => h.activateLater());
  }],
  [/^AT\+QNETDEVSTATUS=(\d+)$/i, (h) => ok(h.s.ctx.active && h.s.ctx.netdev ? [`+QNETDEVSTATUS: ${h.hostLease() ?? '0.0.0.0'},255.255.255.0,192.168.225.1,192.168.225.1,192.168.225.1,,0,0`] : [])],
  [/^AT\+QPING=(\d+),"([^"]+)"(?:,(\d+))?(?:,(\d+))?$/i, (h, m) => {
    if (!h.s.ctx.active) return cme(h, 561);
    return ok([], QUERY, () => h.ping(m[2]!, Number(m[3] ?? 4), Number(m[4] ?? 4)));
  }],
];

export function interpret(h: AtHost, command: string): AtOutcome {
  for (const [re, f] of COMMANDS) {
    const m = re.exec(command);
    if (m) return f(h, m);
  }
  return error();
}
