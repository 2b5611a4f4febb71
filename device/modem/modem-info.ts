/**
 * What the modem manager knows about the modem, its SIM, the network and the data context,
 * updated from replies and URCs. One plain object, so health, telemetry, the status line and
 * `modem.info` all read the same values.
 */
import type { Csq } from '../../protocols/at/signal.js';
import type { CellSummary } from '../../protocols/at/serving-cell.js';
import type { NetworkInfo } from '../../protocols/at/network.js';
import { isRegistered, isRoaming, RegStatus, type RegDomain, type Registration } from '../../protocols/at/registration.js';
import type { SimStatus } from '../../protocols/at/sim.js';
import type { Temperatures } from '../../protocols/at/temperature.js';
import type { HostLinkStatus } from '../net/host-link.js';

export interface ModemInfo {
  identity: { manufacturer: string | null; model: string | null; revision: string | null; imei: string | null; iccid: string | null; imsi: string | null };
  sim: { status: SimStatus | 'absent' | null; pinAttempts: number | null; pukAttempts: number | null };
  registration: Record<RegDomain, Registration | null>;
  operator: { name: string | null; act: number | null };
  network: NetworkInfo[];
  cell: CellSummary | null;
  csq: Csq | null;
  /** When radio values were last read (epoch ms). */
  signalAt: number | null;
  temperatures: Temperatures;
  data: { cid: number; addresses: string[]; upSince: number | null };
  /** The host data path, when configured: the module's USB network mode and the host interface as last read. */
  host: { usbnet: string | null; link: HostLinkStatus | null } | null;
}

export function emptyInfo(cid: number): ModemInfo {
  return {
    identity: { manufacturer: null, model: null, revision: null, imei: null, iccid: null, imsi: null },
    sim: { status: null, pinAttempts: null, pukAttempts: null },
    registration: { '5gs': null, eps: null, cs: null },
    operator: { name: null, act: null },
    network: [],
    cell: null,
    csq: null,
    signalAt: null,
    temperatures: {},
    data: { cid, addresses: [], upSince: null },
    host: null,
  };
}

export type RegVerdict = 'home' | 'roaming' | 'denied' | 'searching' | 'idle';

export interface RegSummary {
  verdict: RegVerdict;
  /** Access technology of the registered (or best) domain. */
  act: number | null;
  tac: string | null;
  cellId: string | null;
  rejectCause: number | null;
}

/**
 * One verdict from up to three domains: registered on any (5GS first, then EPS, then CS) wins —
 * an SA modem falling back to LTE stays registered; denied only when none is registered.
 */
export function summarizeRegistration(r: ModemInfo['registration']): RegSummary {
  const order: RegDomain[] = ['5gs', 'eps', 'cs'];
  const regs = order.map((d) => r[d]).filter((x): x is Registration => x !== null);
  const reg = regs.find((x) => isRegistered(x.stat));
  if (reg) return { verdict: isRoaming(reg.stat) ? 'roaming' : 'home', act: reg.act, tac: reg.tac, cellId: reg.cellId, rejectCause: null };
  const denied = regs.find((x) => x.stat === RegStatus.Denied);
  if (denied) return { verdict: 'denied', act: denied.act, tac: denied.tac, cellId: denied.cellId, rejectCause: denied.rejectCause };
  const searching = regs.find((x) => x.stat === RegStatus.Searching);
  return { verdict: searching ? 'searching' : 'idle', act: null, tac: null, cellId: null, rejectCause: null };
}

/** True when a cell is in sight: valid RSRP in the serving cell, or a known CSQ. */
export function hasSignal(i: ModemInfo): boolean {
  return (i.cell?.rsrp ?? null) !== null || (i.csq?.rssiDbm ?? null) !== null;
}
