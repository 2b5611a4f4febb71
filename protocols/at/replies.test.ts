/**
 * Parser tables: every line here is quoted from the sources of docs/background.md §Modem and AT facts (QNAN, field captures,
 * 3GPP TS 27.007 examples) unless marked otherwise.
 */
import { describe, expect, it } from 'vitest';
import { parseCsq, csqToDbm } from './signal.js';
import { parseServingCell, summarizeCell } from './serving-cell.js';
import { parseCops, parseQnwinfo, AccessTech, accessTechLabel } from './network.js';
import { parseRegistration, registrationForm, RegStatus, isRegistered } from './registration.js';
import { parseCgdcont, parseQiact, parseQping } from './pdp.js';
import { parseCpin, parseQpinc } from './sim.js';
import { parseAti, parseIccid, parseImei } from './identity.js';
import { parseQtemp, maxTemperature } from './temperature.js';
import { parseFinal, finalError } from './final.js';
import { CmeCode, CmeError, cmeFromText } from './cme.js';
import { parseUrc, isUrcLine } from './urc.js';

const bad = { code: 'SP_AT_BAD_REPLY' };

describe('+CSQ', () => {
  it.each([
    ['+CSQ: 28,99', 28, -57, null],
    ['+CSQ: 0,0', 0, -113, 0],
    ['+CSQ: 31,7', 31, -51, 7],
    ['+CSQ: 99,99', 99, null, null],
  ])('%s', (line, rssi, dbm, ber) => {
    expect(parseCsq(line)).toEqual({ rssi, ber: ber ?? 99, rssiDbm: dbm, berClass: ber });
  });
  it('maps the documented points', () => {
    expect([csqToDbm(1), csqToDbm(2), csqToDbm(30), csqToDbm(100), csqToDbm(191)]).toEqual([-111, -109, -53, -116, -25]);
  });
  it.each(['+CSQ: 32,0', '+CSQ: 28', '+CSQ: a,b', '+CSQ 28,99', '+CSQ: 28,8'])('refuses %s', (l) => expect(() => parseCsq(l)).toThrow(expect.objectContaining(bad)));
});

describe('+QENG: "servingcell"', () => {
  it('NR5G-SA, the byte-exact RM520N-GL capture line, with a trailing "-"', () => {
    const c = parseServingCell(['+QENG: "servingcell","NOCONN","NR5G-SA","TDD",460,01,19013B004,299,690E0F,633984,78,12,-107,-13,2,1,-']);
    expect(c).toEqual({
      rat: 'NR5G-SA', state: 'NOCONN', nr: {
        duplex: 'TDD', mcc: '460', mnc: '01', cellId: '19013B004', pci: 299, tac: '690E0F', arfcn: 633984, band: 78,
        dlBandwidth: 12, rsrp: -107, rsrq: -13, sinr: 2, scs: 1, srxlev: null,
      },
    });
    expect(summarizeCell(c)).toMatchObject({ rat: 'NR5G-SA', band: 'n78', rsrp: -107, sinr: 2, cellId: '19013B004', tac: '690E0F' });
  });

  it('LTE, the QNAN example (tx_power -32768 = not transmitting)', () => {
    const c = parseServingCell(['+QENG: "servingcell","NOCONN","LTE","FDD",460,01,5F1EA15,12,1650,3,5,5,DE10,-100,-12,-68,11,0,-32768,27']);
    expect(c).toEqual({
      rat: 'LTE', state: 'NOCONN', lte: {
        duplex: 'FDD', mcc: '460', mnc: '01', cellId: '5F1EA15', pci: 12, earfcn: 1650, band: 3, ulBandwidth: 5, dlBandwidth: 5,
        tac: 'DE10', rsrp: -100, rsrq: -12, rssi: -68, sinr: 11, cqi: 0, txPower: null, srxlev: 27,
      },
    });
  });

  it('EN-DC, three lines, NR order RSRP, SINR, RSRQ', () => {
    const c = parseServingCell([
      '+QENG: "servingcell","NOCONN"',
      '+QENG: "LTE","FDD",460,01,5F1EA15,12,1650,3,5,5,DE10,-100,-12,-68,11,0,-32768,27',
      '+QENG: "NR5G-NSA",460,01,747,-92,18,-11,627264,78,12,1',
    ]);
    expect(c.rat).toBe('EN-DC');
    if (c.rat !== 'EN-DC') throw new Error('rat');
    expect(c.nr).toMatchObject({ pci: 747, rsrp: -92, sinr: 18, rsrq: -11, arfcn: 627264, band: 78, dlBandwidth: 12, scs: 1 });
    expect(c.lte).toMatchObject({ band: 3, rsrp: -100 });
    expect(summarizeCell(c)).toMatchObject({ rat: 'EN-DC', band: 'B3+n78', rsrp: -92, sinr: 18 });
  });

  it('EN-DC with the NR leg all "-" (NR not attached yet)', () => {
    const c = parseServingCell([
      '+QENG: "servingcell","CONNECT"',
      '+QENG: "LTE","TDD",460,00,A1B2C3D,100,38950,41,5,5,5A29,-95,-10,-65,14,12,20,40',
      '+QENG: "NR5G-NSA",460,00,-,-,-,-,-,-,-,-',
    ]);
    if (c.rat !== 'EN-DC') throw new Error('rat');
    expect(c.nr).toMatchObject({ pci: null, rsrp: null, sinr: null, rsrq: null, band: null });
    expect(summarizeCell(c)).toMatchObject({ band: 'B41', rsrp: -95 });
  });

  it('SEARCH without cell fields', () => {
    expect(parseServingCell(['+QENG: "servingcell","SEARCH"'])).toEqual({ rat: 'NONE', state: 'SEARCH' });
  });

  it('ignores lines that are not +QENG and refuses malformed ones', () => {
    expect(parseServingCell(['noise', '+QENG: "servingcell","LIMSRV"']).state).toBe('LIMSRV');
    expect(() => parseServingCell(['+QENG: "servingcell","NOCONN","NR5G-SA","TDD",460'])).toThrow(expect.objectContaining(bad));
    expect(() => parseServingCell(['+QENG: "servingcell","BOGUS"'])).toThrow(expect.objectContaining(bad));
    expect(() => parseServingCell([])).toThrow(expect.objectContaining(bad));
  });
});

describe('+QNWINFO and +COPS', () => {
  it('reads the QNAN examples', () => {
    expect(parseQnwinfo(['+QNWINFO: "FDD LTE","46001","LTE BAND 3",1650'])).toEqual([{ service: true, act: 'FDD LTE', operator: '46001', band: 'LTE BAND 3', channel: 1650 }]);
    expect(parseQnwinfo(['+QNWINFO: No Service'])).toEqual([{ service: false }]);
    expect(parseQnwinfo(['+QNWINFO: "FDD LTE","46000","LTE BAND 3",1300', '+QNWINFO: "TDD NR5G","46000","NR5G BAND 78",627264'])).toHaveLength(2);
  });
  it.each([
    ['+COPS: 0,0,"CHINA MOBILE",13', 13, '5G NSA'],
    ['+COPS: 0,0,"CHINA MOBILE",11', 11, '5G SA'],
    ['+COPS: 0,2,"46000",7', 7, 'LTE'],
  ])('%s', (line, act, label) => {
    const c = parseCops(line);
    expect(c.act).toBe(act);
    expect(accessTechLabel(c.act)).toBe(label);
  });
  it('plain +COPS: 0 when not registered', () => {
    expect(parseCops('+COPS: 0')).toEqual({ mode: 0, format: null, operator: null, act: null });
    expect(AccessTech.EutraNrDual).toBe(13);
    expect(() => parseCops('+COPS: 9')).toThrow(expect.objectContaining(bad));
  });
});

describe('+CREG / +CEREG / +C5GREG', () => {
  it('read form carries <n>', () => {
    expect(parseRegistration('+CEREG: 2,1,"DE10","5A29C0B",7')).toEqual({ domain: 'eps', n: 2, stat: RegStatus.Home, tac: 'DE10', cellId: '5A29C0B', act: 7, rejectCause: null });
    expect(registrationForm('+CEREG: 2,1,"DE10","5A29C0B",7')).toBe('read');
  });
  it('URC form has no <n>', () => {
    expect(parseRegistration('+CEREG: 1,"DE10","5A29C0B",7')).toEqual({ domain: 'eps', n: null, stat: RegStatus.Home, tac: 'DE10', cellId: '5A29C0B', act: 7, rejectCause: null });
    expect(registrationForm('+CEREG: 1,"DE10","5A29C0B",7')).toBe('urc');
    expect(parseRegistration('+CEREG: 2')).toMatchObject({ n: null, stat: RegStatus.Searching, tac: null });
  });
  it('forms can be forced when the caller knows', () => {
    expect(parseRegistration('+CEREG: 0,1', 'read')).toMatchObject({ n: 0, stat: RegStatus.Home });
    expect(parseRegistration('+CEREG: 5', 'urc')).toMatchObject({ stat: RegStatus.Roaming });
  });
  it('C5GREG with NSSAI, read and URC (27.007 §10.1.53 shape)', () => {
    expect(parseRegistration('+C5GREG: 2,1,"690E0F","19013B004",11,1,"01"')).toMatchObject({ domain: '5gs', n: 2, stat: 1, tac: '690E0F', cellId: '19013B004', act: 11 });
    expect(parseRegistration('+C5GREG: 5,"690E0F","19013B004",11')).toMatchObject({ n: null, stat: RegStatus.Roaming, act: 11 });
    expect(parseRegistration('+C5GREG: 2,0')).toMatchObject({ n: 2, stat: RegStatus.NotSearching });
  });
  it('denied with a reject cause (+CEREG n=3)', () => {
    expect(parseRegistration('+CEREG: 3,3,"","",,0,15')).toMatchObject({ n: 3, stat: RegStatus.Denied, rejectCause: 15 });
    expect(parseRegistration('+CEREG: 3,"","",,0,15')).toMatchObject({ n: null, stat: RegStatus.Denied, rejectCause: 15 });
  });
  it('CREG and the registered predicate', () => {
    expect(parseRegistration('+CREG: 2,5,"DE10","5A29C0B",7')).toMatchObject({ domain: 'cs', stat: RegStatus.Roaming });
    expect([1, 5].every((s) => isRegistered(s))).toBe(true);
    expect([0, 2, 3, 4].some((s) => isRegistered(s))).toBe(false);
    expect(() => parseRegistration('+CEREG: 2,1,"XYZ!"')).toThrow(expect.objectContaining(bad));
  });
});

describe('PDP contexts', () => {
  it('+CGDCONT? (real log line)', () => {
    expect(parseCgdcont(['+CGDCONT: 1,"IP","internet","0.0.0.0",0,0,0,0'])).toEqual([{ cid: 1, pdpType: 'IP', apn: 'internet', address: '0.0.0.0' }]);
    expect(parseCgdcont(['+CGDCONT: 1,"IPV4V6","cmnet","",0,0', '+CGDCONT: 2,"IPV4V6","ims","",0,0'])).toHaveLength(2);
  });
  it('+QIACT? with an address, and a bare OK (no lines) when none is up', () => {
    expect(parseQiact(['+QIACT: 1,1,1,"10.64.1.23"'])).toEqual([{ cid: 1, state: 1, type: 1, addresses: ['10.64.1.23'] }]);
    expect(parseQiact([])).toEqual([]);
    expect(parseQiact(['+QIACT: 1,1,3,"10.64.1.23","2408:8456:3a00::1"'])[0]!.addresses).toHaveLength(2);
  });
  it('+QPING results', () => {
    expect(parseQping('+QPING: 0,"8.8.8.8",32,54,255')).toEqual({ kind: 'reply', ip: '8.8.8.8', bytes: 32, timeMs: 54, ttl: 255 });
    expect(parseQping('+QPING: 0,4,3,1,47,51,49')).toEqual({ kind: 'summary', sent: 4, received: 3, lost: 1, minMs: 47, maxMs: 51, avgMs: 49 });
    expect(parseQping('+QPING: 569')).toEqual({ kind: 'failed', error: 569 });
  });
});

describe('SIM, identity, temperature', () => {
  it.each(['READY', 'SIM PIN', 'SIM PUK', 'NOT READY'])('+CPIN: %s', (s) => expect(parseCpin(`+CPIN: ${s}`)).toBe(s));
  it('refuses an unknown SIM status', () => expect(() => parseCpin('+CPIN: MAYBE')).toThrow(expect.objectContaining(bad)));
  it('+QPINC', () => expect(parseQpinc('+QPINC: "SC",3,10')).toEqual({ facility: 'SC', pinAttempts: 3, pukAttempts: 10 }));
  it('ATI, IMEI, ICCID', () => {
    expect(parseAti(['Quectel', 'RM500Q-GL', 'Revision: RM500QGLABR11A06M4G'])).toEqual({ manufacturer: 'Quectel', model: 'RM500Q-GL', revision: 'RM500QGLABR11A06M4G' });
    expect(parseImei(['490154203237518'])).toEqual({ imei: '490154203237518', valid: true });
    expect(parseImei(['+CGSN: "490154203237519"']).valid).toBe(false);
    expect(parseIccid(['+QCCID: 8986002211111111111F'])).toBe('8986002211111111111');
  });
  it('+QTEMP on RM5xx ("-273" = absent) and the older three-value form', () => {
    const t = parseQtemp(['+QTEMP: "modem-lte-sub6-pa1","36"', '+QTEMP: "soc-thermal","43"', '+QTEMP: "sdr0","-273"']);
    expect(t).toEqual({ 'modem-lte-sub6-pa1': 36, 'soc-thermal': 43 });
    expect(maxTemperature(t)).toBe(43);
    expect(parseQtemp(['+QTEMP: 36,37,35'])).toEqual({ pmic: 36, xo: 37, pa: 35 });
  });
});

describe('final results and +CME ERROR', () => {
  it('classifies the MM final result lines', () => {
    expect(parseFinal('OK')).toEqual({ kind: 'ok' });
    expect(parseFinal('ERROR')).toEqual({ kind: 'error' });
    expect(parseFinal('+CME ERROR: 10')).toEqual({ kind: 'cme', code: 10, text: '10' });
    expect(parseFinal('+CME ERROR: SIM not inserted')).toEqual({ kind: 'cme', code: 10, text: 'SIM not inserted' });
    expect(parseFinal('+CMS ERROR: 500')).toMatchObject({ kind: 'cms', code: 500 });
    expect(parseFinal('NO CARRIER')).toEqual({ kind: 'no-carrier' });
    expect(parseFinal('+CSQ: 28,99')).toBeNull();
    expect(parseFinal('OK ')).toBeNull();
  });
  it.each([
    [3, CmeCode.NotAllowed], [4, CmeCode.NotSupported], [10, CmeCode.SimNotInserted], [11, CmeCode.SimPin], [12, CmeCode.SimPuk],
    [13, CmeCode.SimFailure], [14, CmeCode.SimBusy], [15, CmeCode.SimWrong], [16, CmeCode.IncorrectPassword],
    [30, CmeCode.NoNetwork], [31, CmeCode.NetworkTimeout], [100, CmeCode.Unknown],
  ])('+CME ERROR: %i is a typed error', (n, code) => {
    const e = finalError(parseFinal(`+CME ERROR: ${n}`)!, 'AT+CPIN?');
    expect(e).toBeInstanceOf(CmeError);
    expect((e as CmeError).cme).toBe(code);
    expect(e!.code).toBe('SP_AT_CME');
  });
  it('names the error and knows SIM errors', () => {
    const e = finalError(parseFinal('+CME ERROR: 10')!, 'AT+CPIN?') as CmeError;
    expect(e.message).toBe('AT+CPIN?: +CME ERROR 10 SIM not inserted');
    expect(e.detail).toMatchObject({ name: 'SimNotInserted' });
    expect(e.isSimError).toBe(true);
    expect(cmeFromText('incorrect password')).toBe(16);
    expect(finalError(parseFinal('ERROR')!, 'AT+X')!.code).toBe('SP_AT_ERROR');
    expect(finalError({ kind: 'ok' }, 'AT')).toBeNull();
  });
});

describe('URCs', () => {
  it('parses the boot sequence and the registry lines', () => {
    expect(['RDY', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE'].map(parseUrc)).toEqual([
      { kind: 'ready' }, { kind: 'sim', status: 'READY' }, { kind: 'usim', value: 1 },
      { kind: 'indication', name: 'SMS DONE', values: [] }, { kind: 'indication', name: 'PB DONE', values: [] },
    ]);
    expect(parseUrc('POWERED DOWN')).toEqual({ kind: 'powered-down' });
    expect(parseUrc('+QIND: "csq",20,99')).toEqual({ kind: 'indication', name: 'csq', values: ['20', '99'] });
    expect(parseUrc('+QIND: "act","LTE"')).toEqual({ kind: 'indication', name: 'act', values: ['LTE'] });
    expect(parseUrc('+CEREG: 1,"DE10","5A29C0B",7')).toMatchObject({ kind: 'registration', reg: { domain: 'eps', stat: 1, n: null } });
    expect(parseUrc('+QIURC: "pdpdeact",1')).toEqual({ kind: 'pdp-deactivated', cid: 1 });
    expect(parseUrc('+QNETDEVSTATUS: 1')).toEqual({ kind: 'netdev', connected: true, cid: null });
    expect(parseUrc('+QNETDEVSTATUS: 1,1,"IPV4V6",0')).toEqual({ kind: 'netdev', connected: true, cid: 1 });
  });
  it('recognises URC lines and nothing else', () => {
    expect(['RDY', '+CEREG: 2', '+QPING: 569'].every(isUrcLine)).toBe(true);
    expect(['RDYX', 'OK', '+CSQ: 1,1', 'Quectel'].some(isUrcLine)).toBe(false);
  });
});
