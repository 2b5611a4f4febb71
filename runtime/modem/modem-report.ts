/**
 * How the modem is described to people: the one-line status the console prints, the
 * health entry that goes into the MQTT birth, and the telemetry record. Pure functions of a
 * snapshot, so all three always agree.
 */
import { accessTechLabel } from '../../protocols/at/network.js';
import { ModemState, stateHealth } from '../../device/modem/modem-state.js';
import type { Failure } from '../../device/modem/modem-machine.js';
import { summarizeRegistration, type ModemInfo } from '../../device/modem/modem-info.js';
import type { Health } from '../health.js';
import { describeHostLink } from '../../device/net/host-link.js';
import type { RecoveryCounters, RecoveryStep } from './recovery.js';

export interface ModemSnapshot {
  state: ModemState;
  since: number;
  now: number;
  failure: Failure | null;
  info: ModemInfo;
  path: string;
  recovery: {
    level: number;
    running: RecoveryStep | null;
    next: { step: RecoveryStep; at: number } | null;
    counters: RecoveryCounters;
    /** Problem being worked on, with why. */
    problem: { problem: string; reason: string } | null;
  };
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, '0')}h`;
}

function radio(i: ModemInfo): string | null {
  const c = i.cell;
  const rsrp = c?.rsrp ?? null;
  if (rsrp !== null) return `RSRP ${rsrp} dBm${c?.sinr != null ? ` SINR ${c.sinr} dB` : ''}`;
  if (i.csq?.rssiDbm != null) return `RSSI ${i.csq.rssiDbm} dBm`;
  return i.signalAt ? 'no cell in range' : null;
}

const totalRecoveries = (c: RecoveryCounters) => c.requery + c.reattach + c.reset + c['power-cycle'];

/** e.g. `modem online · 5G SA · CHINA MOBILE · n41 · RSRP -88 dBm SINR 15 dB · up 1h02m · recoveries 2` */
export function statusLine(s: ModemSnapshot): string {
  const i = s.info;
  const parts: string[] = [`modem ${s.state}`];
  if (s.state === ModemState.Online) {
    const act = accessTechLabel(i.operator.act ?? summarizeRegistration(i.registration).act);
    parts.push(act, i.operator.name ?? '-');
    if (i.cell?.band) parts.push(i.cell.band);
    const r = radio(i);
    if (r) parts.push(r);
    if (i.host?.link) parts.push(describeHostLink(i.host.link));
    if (i.data.upSince !== null) parts.push(`up ${formatDuration(s.now - i.data.upSince)}`);
    if (s.failure) parts.push(s.failure.message);
  } else {
    parts.push(`${s.recovery.problem?.reason || s.failure?.message || stateText(s.state)} (${formatDuration(s.now - s.since)})`);
    const r = radio(i);
    if (r && s.state !== ModemState.Absent && s.state !== ModemState.Hung) parts.push(r);
  }
  const rec = s.recovery;
  if (rec.running) parts.push(`recovery: ${rec.running} running`);
  else if (rec.next) parts.push(`next: ${rec.next.step} in ${formatDuration(rec.next.at - s.now)}`);
  else if (rec.problem?.problem === 'sim-locked') parts.push('needs a technician');
  const total = totalRecoveries(rec.counters);
  if (total > 0) parts.push(`recoveries ${total}`);
  return parts.join(' · ');
}

function stateText(s: ModemState): string {
  switch (s) {
    case ModemState.Absent: return 'no AT port';
    case ModemState.Probing: return 'probing';
    case ModemState.SimCheck: return 'checking SIM';
    case ModemState.Registering: return 'searching for the network';
    case ModemState.Connecting: return 'activating data';
    case ModemState.Resetting: return 'rebooting';
    case ModemState.PowerCycling: return 'power cycling';
    default: return s;
  }
}

export function modemHealth(s: ModemSnapshot): Health {
  const i = s.info;
  const status = s.state === ModemState.Online && s.failure ? 'degraded' : stateHealth(s.state);
  return {
    status,
    // The console prints `detail` for every device: the status line says the most, ok or not.
    detail: statusLine(s),
    state: s.state,
    since: new Date(s.since).toISOString(),
    path: s.path,
    operator: i.operator.name,
    act: accessTechLabel(i.operator.act),
    band: i.cell?.band ?? null,
    rsrp: i.cell?.rsrp ?? null,
    sinr: i.cell?.sinr ?? null,
    registration: summarizeRegistration(i.registration).verdict,
    dataUpSec: i.data.upSince !== null ? Math.round((s.now - i.data.upSince) / 1000) : null,
    failure: s.failure ? { code: s.failure.code, message: s.failure.message } : null,
    host: hostHealth(i),
    recoveries: s.recovery.counters,
    line: statusLine(s),
  };
}

/** The host data path in the birth and health: interface, lease, route, or why not online. */
export function hostHealth(i: ModemInfo): Record<string, unknown> | null {
  const h = i.host;
  if (!h) return null;
  const l = h.link;
  return {
    usbnet: h.usbnet, interface: l?.interface ?? null, carrier: l?.carrier ?? false, address: l?.address ?? null, prefix: l?.prefix ?? null,
    gateway: l?.defaultVia ?? null, mtu: l?.mtu ?? null, route: l ? (l.defaultVia ? `default via ${l.defaultVia} dev ${l.interface}` : null) : null,
    problem: l?.problem ?? null, line: l ? describeHostLink(l) : null,
  };
}

export function modemTelemetry(s: ModemSnapshot, temperatureC: number | null, lifetime: Record<string, number>): Record<string, unknown> {
  const i = s.info;
  const c = i.cell;
  const reg = summarizeRegistration(i.registration);
  return {
    state: s.state,
    registration: reg.verdict,
    operator: i.operator.name,
    mccmnc: c?.mcc && c.mnc ? `${c.mcc}${c.mnc}` : null,
    act: accessTechLabel(i.operator.act ?? reg.act),
    rat: c?.rat ?? null,
    band: c?.band ?? null,
    arfcn: c?.arfcn ?? null,
    pci: c?.pci ?? null,
    cellId: c?.cellId ?? reg.cellId,
    tac: c?.tac ?? reg.tac,
    rsrp: c?.rsrp ?? null,
    rsrq: c?.rsrq ?? null,
    sinr: c?.sinr ?? null,
    rssi: i.csq?.rssiDbm ?? null,
    temperatureC,
    dataUpSec: i.data.upSince !== null ? Math.round((s.now - i.data.upSince) / 1000) : 0,
    host: hostHealth(i),
    recoveries: { ...s.recovery.counters, lifetime },
  };
}
