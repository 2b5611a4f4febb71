/**
 * `AT+QENG="servingcell"` (QNAN §3.2.2; docs/background.md §Modem and AT facts), three shapes:
 *   NR5G-SA  `+QENG: "servingcell",<state>,"NR5G-SA",<duplex>,<MCC>,<MNC>,<cellID>,<PCID>,<TAC>,<ARFCN>,<band>,<NR_DL_bw>,<RSRP>,<RSRQ>,<SINR>,<scs>,<srxlev>`
 *            (the TAC comes before the ARFCN; matches a byte-exact RM520N-GL capture)
 *   LTE      `+QENG: "servingcell",<state>,"LTE",<is_tdd>,<MCC>,<MNC>,<cellID>,<PCID>,<earfcn>,<band>,<UL_bw>,<DL_bw>,<TAC>,<RSRP>,<RSRQ>,<RSSI>,<SINR>,<CQI>,<tx_power>,<srxlev>`
 *   EN-DC    three lines: `+QENG: "servingcell",<state>`, `+QENG: "LTE",…` (as above from is_tdd),
 *            `+QENG: "NR5G-NSA",<MCC>,<MNC>,<PCID>,<RSRP>,<SINR>,<RSRQ>,<ARFCN>,<band>,<NR_DL_bw>,<scs>`
 *            (NSA order is RSRP, SINR, RSRQ).
 * `-` marks an invalid value and becomes null; so do values outside the documented ranges
 * (e.g. tx_power -32768 when not transmitting). `SEARCH` comes without cell fields.
 */
import { badReply } from './errors.js';
import { afterPrefix, hexField, intField, rangedInt, splitFields, textField, type Field } from './params.js';

export type CellState = 'SEARCH' | 'LIMSRV' | 'NOCONN' | 'CONNECT';
const STATES: readonly string[] = ['SEARCH', 'LIMSRV', 'NOCONN', 'CONNECT'];

export interface LteCell {
  duplex: 'FDD' | 'TDD' | null;
  mcc: string | null;
  mnc: string | null;
  /** 28-bit E-UTRAN cell id, hex. */
  cellId: string | null;
  pci: number | null;
  earfcn: number | null;
  band: number | null;
  ulBandwidth: number | null;
  dlBandwidth: number | null;
  tac: string | null;
  /** dBm; QNAN gives -140…-44, kept within the extended 3GPP range -156…-31. */
  rsrp: number | null;
  /** dB; QNAN gives -20…-3, kept within the extended range -34…3. */
  rsrq: number | null;
  rssi: number | null;
  /** dB; field captures show plain dB (docs/background.md §Modem and AT facts). */
  sinr: number | null;
  cqi: number | null;
  txPower: number | null;
  srxlev: number | null;
}

export interface NrCell {
  duplex: 'FDD' | 'TDD' | null;
  mcc: string | null;
  mnc: string | null;
  /** 36-bit NR cell id, hex (SA only). */
  cellId: string | null;
  pci: number | null;
  tac: string | null;
  arfcn: number | null;
  band: number | null;
  dlBandwidth: number | null;
  /** dBm, -156…-31. */
  rsrp: number | null;
  /** dB, -43…20. */
  rsrq: number | null;
  /** dB, -23…40. */
  sinr: number | null;
  /** Subcarrier spacing index (0 = 15 kHz, 1 = 30, 2 = 60, 3 = 120, 4 = 240). */
  scs: number | null;
  srxlev: number | null;
}

export type ServingCell =
  | { rat: 'NONE'; state: CellState }
  | { rat: 'NR5G-SA'; state: CellState; nr: NrCell }
  | { rat: 'LTE'; state: CellState; lte: LteCell }
  | { rat: 'EN-DC'; state: CellState; lte: LteCell | null; nr: NrCell | null }
  | { rat: 'OTHER'; state: CellState; name: string };

const PREFIX = '+QENG:';

function fields(line: string): Field[] {
  return splitFields(afterPrefix(line, PREFIX), line);
}

function stateOf(f: Field | undefined, line: string): CellState {
  const s = textField(f);
  if (s === null || !STATES.includes(s)) badReply(line, 'unknown serving-cell state');
  return s as CellState;
}

function duplex(f: Field | undefined, line: string): 'FDD' | 'TDD' | null {
  const s = textField(f);
  if (s === null) return null;
  if (s !== 'FDD' && s !== 'TDD') badReply(line, 'duplex must be FDD or TDD');
  return s;
}

function digits(f: Field | undefined, line: string, name: string): string | null {
  const s = textField(f);
  if (s === null) return null;
  if (!/^\d{2,3}$/.test(s)) badReply(line, `${name} must be 2–3 digits`);
  return s;
}

const hex = (f: Field | undefined, line: string, name: string) => hexField(f, line, name)?.hex ?? null;
const int = (f: Field | undefined, line: string, name: string) => intField(f, line, name, true);

/** LTE fields starting at is_tdd (index `i`): the same in the single-line and EN-DC forms. */
function lteFrom(f: Field[], i: number, line: string): LteCell {
  if (f.length < i + 17) badReply(line, 'LTE serving cell needs 17 fields after the RAT');
  return {
    duplex: duplex(f[i], line),
    mcc: digits(f[i + 1], line, 'MCC'),
    mnc: digits(f[i + 2], line, 'MNC'),
    cellId: hex(f[i + 3], line, 'cellID'),
    pci: rangedInt(f[i + 4], line, 'PCID', 0, 503),
    earfcn: int(f[i + 5], line, 'earfcn'),
    band: int(f[i + 6], line, 'band'),
    ulBandwidth: int(f[i + 7], line, 'UL_bandwidth'),
    dlBandwidth: int(f[i + 8], line, 'DL_bandwidth'),
    tac: hex(f[i + 9], line, 'TAC'),
    rsrp: rangedInt(f[i + 10], line, 'RSRP', -156, -31),
    rsrq: rangedInt(f[i + 11], line, 'RSRQ', -34, 3),
    rssi: rangedInt(f[i + 12], line, 'RSSI', -120, 0),
    sinr: rangedInt(f[i + 13], line, 'SINR', -20, 50),
    cqi: rangedInt(f[i + 14], line, 'CQI', 0, 15),
    txPower: rangedInt(f[i + 15], line, 'tx_power', -500, 500),
    srxlev: int(f[i + 16], line, 'srxlev'),
  };
}

function saFrom(f: Field[], line: string): NrCell {
  // f[0]="servingcell", f[1]=state, f[2]="NR5G-SA", then 14 fields.
  if (f.length < 17) badReply(line, 'NR5G-SA serving cell needs 17 fields');
  return {
    duplex: duplex(f[3], line),
    mcc: digits(f[4], line, 'MCC'),
    mnc: digits(f[5], line, 'MNC'),
    cellId: hex(f[6], line, 'cellID'),
    pci: rangedInt(f[7], line, 'PCID', 0, 1007),
    tac: hex(f[8], line, 'TAC'),
    arfcn: int(f[9], line, 'ARFCN'),
    band: int(f[10], line, 'band'),
    dlBandwidth: int(f[11], line, 'NR_DL_bandwidth'),
    rsrp: rangedInt(f[12], line, 'RSRP', -156, -31),
    rsrq: rangedInt(f[13], line, 'RSRQ', -43, 20),
    sinr: rangedInt(f[14], line, 'SINR', -23, 40),
    scs: rangedInt(f[15], line, 'scs', 0, 4),
    srxlev: int(f[16], line, 'srxlev'),
  };
}

function nsaFrom(f: Field[], line: string): NrCell {
  // f[0]="NR5G-NSA", MCC, MNC, PCID, RSRP, SINR, RSRQ, ARFCN, band, NR_DL_bandwidth, scs
  if (f.length < 11) badReply(line, 'NR5G-NSA line needs 11 fields');
  return {
    duplex: null,
    mcc: digits(f[1], line, 'MCC'),
    mnc: digits(f[2], line, 'MNC'),
    cellId: null,
    pci: rangedInt(f[3], line, 'PCID', 0, 1007),
    tac: null,
    rsrp: rangedInt(f[4], line, 'RSRP', -156, -31),
    sinr: rangedInt(f[5], line, 'SINR', -23, 40),
    rsrq: rangedInt(f[6], line, 'RSRQ', -43, 20),
    arfcn: int(f[7], line, 'ARFCN'),
    band: int(f[8], line, 'band'),
    dlBandwidth: int(f[9], line, 'NR_DL_bandwidth'),
    scs: rangedInt(f[10], line, 'scs', 0, 4),
    srxlev: null,
  };
}

/** Parses the `+QENG:` lines of one `AT+QENG="servingcell"` response (other lines are ignored). */
export function parseServingCell(lines: readonly string[]): ServingCell {
  const qeng = lines.filter((l) => l.startsWith(PREFIX));
  const first = qeng[0];
  if (!first) badReply(lines.join(' | '), 'no +QENG line');
  const f = fields(first);
  if (textField(f[0]) !== 'servingcell') badReply(first, 'first +QENG line must be "servingcell"');
  const state = stateOf(f[1], first);
  const rat = textField(f[2]);
  if (rat === 'NR5G-SA') return { rat, state, nr: saFrom(f, first) };
  if (rat === 'LTE') return { rat, state, lte: lteFrom(f, 3, first) };
  if (rat !== null) return { rat: 'OTHER', state, name: rat };
  if (qeng.length === 1) return { rat: 'NONE', state };
  // EN-DC: the LTE anchor and the NR leg each on their own line.
  let lte: LteCell | null = null;
  let nr: NrCell | null = null;
  for (const line of qeng.slice(1)) {
    const g = fields(line);
    const name = textField(g[0]);
    if (name === 'LTE') lte = lteFrom(g, 1, line);
    else if (name === 'NR5G-NSA') nr = nsaFrom(g, line);
    else badReply(line, 'unexpected +QENG line in EN-DC reply');
  }
  return { rat: 'EN-DC', state, lte, nr };
}

/** The values a status line and telemetry want, whatever the shape. */
export interface CellSummary {
  rat: string;
  state: CellState;
  mcc: string | null;
  mnc: string | null;
  cellId: string | null;
  pci: number | null;
  tac: string | null;
  band: string | null;
  arfcn: number | null;
  rsrp: number | null;
  rsrq: number | null;
  sinr: number | null;
}

export function summarizeCell(c: ServingCell): CellSummary {
  const none = { mcc: null, mnc: null, cellId: null, pci: null, tac: null, band: null, arfcn: null, rsrp: null, rsrq: null, sinr: null };
  switch (c.rat) {
    case 'NONE': return { rat: 'none', state: c.state, ...none };
    case 'OTHER': return { rat: c.name, state: c.state, ...none };
    case 'NR5G-SA': {
      const n = c.nr;
      return { rat: 'NR5G-SA', state: c.state, mcc: n.mcc, mnc: n.mnc, cellId: n.cellId, pci: n.pci, tac: n.tac, band: n.band === null ? null : `n${n.band}`, arfcn: n.arfcn, rsrp: n.rsrp, rsrq: n.rsrq, sinr: n.sinr };
    }
    case 'LTE': {
      const l = c.lte;
      return { rat: 'LTE', state: c.state, mcc: l.mcc, mnc: l.mnc, cellId: l.cellId, pci: l.pci, tac: l.tac, band: l.band === null ? null : `B${l.band}`, arfcn: l.earfcn, rsrp: l.rsrp, rsrq: l.rsrq, sinr: l.sinr };
    }
    case 'EN-DC': {
      const l = c.lte;
      const n = c.nr;
      const band = [l?.band != null ? `B${l.band}` : null, n?.band != null ? `n${n.band}` : null].filter(Boolean).join('+') || null;
      // The NR leg carries the data; its radio values describe the 5G link when present.
      return {
        rat: 'EN-DC', state: c.state, mcc: l?.mcc ?? n?.mcc ?? null, mnc: l?.mnc ?? n?.mnc ?? null, cellId: l?.cellId ?? null,
        pci: n?.pci ?? l?.pci ?? null, tac: l?.tac ?? null, band, arfcn: n?.arfcn ?? l?.earfcn ?? null,
        rsrp: n?.rsrp ?? l?.rsrp ?? null, rsrq: n?.rsrq ?? l?.rsrq ?? null, sinr: n?.sinr ?? l?.sinr ?? null,
      };
    }
  }
}
