/**
 * The simulated modem's radio: a China Mobile cell in Wuhan whose signal drifts as a bounded
 * random walk (seeded, so runs repeat), and the reply lines Quectel firmware prints for it in
 * NR5G-SA, LTE and EN-DC (formats from docs/background.md §Modem and AT facts). Signal loss blanks the values
 * the way the modem does: `+CSQ: 99,99`, `"SEARCH"`, `No Service`.
 */
import { seededRandom } from '../../lib/seeded-random.js';

export type Rat = 'NR5G-SA' | 'LTE' | 'EN-DC';


interface Walk { value: number; min: number; max: number; step: number }

function drift(w: Walk, r: () => number): number {
  w.value = Math.min(w.max, Math.max(w.min, w.value + (r() * 2 - 1) * w.step));
  return Math.round(w.value);
}

/** The cell the sim camps on (China Mobile, MCC 460 MNC 00; n41 SA, B3/B41 LTE). */
const CELL = {
  mcc: '460', mnc: '00', operator: 'CHINA MOBILE',
  nr: { cellId: '1A2B3C4D5', pci: 412, tac: '5A29C0', arfcn: 504990, band: 41, bw: 12, scs: 1 },
  lte: { cellId: '5A29C0B', pci: 283, tac: '5A29', earfcn: 1300, band: 3, bw: 5 },
} as const;

export class RadioModel {
  rat: Rat = 'NR5G-SA';
  /** No cell in range: everything invalid. */
  noSignal = false;
  private readonly r: () => number;
  private readonly rsrp: Walk = { value: -88, min: -110, max: -72, step: 2 };
  private readonly rsrq: Walk = { value: -11, min: -16, max: -7, step: 1 };
  private readonly sinr: Walk = { value: 14, min: 2, max: 25, step: 1.5 };
  private readonly temp: Walk = { value: 42, min: 36, max: 55, step: 0.7 };

  constructor(seed = 20261127) {
    this.r = seededRandom(seed);
  }

  get operator(): string { return CELL.operator; }
  get mccmnc(): string { return `${CELL.mcc}${CELL.mnc}`; }

  /** 27.007 AcT of the registration: 11 NR on 5GC, 7 E-UTRAN, 13 EN-DC. */
  get act(): number {
    return this.rat === 'NR5G-SA' ? 11 : this.rat === 'LTE' ? 7 : 13;
  }

  /** Location for registration replies: TAC and cell id as the domain reports them. */
  location(domain: '5gs' | 'eps' | 'cs'): { tac: string; ci: string } {
    return domain === '5gs' ? { tac: CELL.nr.tac, ci: CELL.nr.cellId } : { tac: CELL.lte.tac, ci: CELL.lte.cellId };
  }

  /** Advances the random walk one step (called on every radio query). */
  private sample(): { rsrp: number; rsrq: number; sinr: number } {
    return { rsrp: drift(this.rsrp, this.r), rsrq: drift(this.rsrq, this.r), sinr: drift(this.sinr, this.r) };
  }

  csqLine(): string {
    if (this.noSignal || this.rat === 'NR5G-SA') return '+CSQ: 99,99'; // QNAN: CSQ does not apply to NR5G
    const rssiDbm = Math.round(this.rsrp.value + 22);
    const rssi = Math.max(0, Math.min(31, Math.round((rssiDbm + 113) / 2)));
    return `+CSQ: ${rssi},99`;
  }

  servingCellLines(connected: boolean): string[] {
    if (this.noSignal) return ['+QENG: "servingcell","SEARCH"'];
    const st = connected ? '"CONNECT"' : '"NOCONN"';
    const s = this.sample();
    const { nr, lte } = CELL;
    const lteBody = `"FDD",${CELL.mcc},${CELL.mnc},${lte.cellId},${lte.pci},${lte.earfcn},${lte.band},${lte.bw},${lte.bw},${lte.tac},${s.rsrp - 4},${s.rsrq},${s.rsrp + 22},${Math.max(-10, s.sinr - 3)},${connected ? 12 : 0},${connected ? 18 : -32768},${Math.max(0, s.rsrp + 130)}`;
    if (this.rat === 'NR5G-SA') {
      return [`+QENG: "servingcell",${st},"NR5G-SA","TDD",${CELL.mcc},${CELL.mnc},${nr.cellId},${nr.pci},${nr.tac},${nr.arfcn},${nr.band},${nr.bw},${s.rsrp},${s.rsrq},${s.sinr},${nr.scs},-`];
    }
    if (this.rat === 'LTE') return [`+QENG: "servingcell",${st},"LTE",${lteBody}`];
    return [
      `+QENG: "servingcell",${st}`,
      `+QENG: "LTE",${lteBody}`,
      `+QENG: "NR5G-NSA",${CELL.mcc},${CELL.mnc},${nr.pci},${s.rsrp},${s.sinr},${s.rsrq},${nr.arfcn},${nr.band},${nr.bw},${nr.scs}`,
    ];
  }

  qnwinfoLines(registered: boolean): string[] {
    if (this.noSignal || !registered) return ['+QNWINFO: No Service'];
    const lte = `+QNWINFO: "FDD LTE","${this.mccmnc}","LTE BAND ${CELL.lte.band}",${CELL.lte.earfcn}`;
    const nr = `+QNWINFO: "TDD NR5G","${this.mccmnc}","NR5G BAND ${CELL.nr.band}",${CELL.nr.arfcn}`;
    return this.rat === 'NR5G-SA' ? [nr] : this.rat === 'LTE' ? [lte] : [lte, nr];
  }

  temperatureLines(): string[] {
    const t = drift(this.temp, this.r);
    return [`+QTEMP: "modem-lte-sub6-pa1","${t - 6}"`, `+QTEMP: "modem-sdr0-pa0","${t - 4}"`, `+QTEMP: "soc-thermal","${t}"`, `+QTEMP: "sdr0","-273"`];
  }

  /** Round-trip time of a ping through the cell (ms). */
  pingRtt(): number {
    return Math.round(18 + this.r() * 25);
  }

  snapshot(): Record<string, unknown> {
    return { rat: this.rat, noSignal: this.noSignal, rsrp: Math.round(this.rsrp.value), rsrq: Math.round(this.rsrq.value), sinr: Math.round(this.sinr.value), temperatureC: Math.round(this.temp.value) };
  }
}
