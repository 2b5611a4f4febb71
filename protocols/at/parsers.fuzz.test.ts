/**
 * Every reply parser, fed random text (and random bytes decoded as the framer decodes them),
 * either returns a value or raises SP_AT_BAD_REPLY — never anything else (conventions: every
 * parser gets fast-check property tests with random bytes).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SmartpoleError } from '../errors.js';
import { parseCsq } from './signal.js';
import { parseServingCell } from './serving-cell.js';
import { parseCops, parseQnwinfo } from './network.js';
import { parseRegistration } from './registration.js';
import { parseCgdcont, parseQiact, parseQping } from './pdp.js';
import { parseCpin, parseQpinc } from './sim.js';
import { parseAti, parseIccid, parseImei, parseImsi } from './identity.js';
import { parseQtemp } from './temperature.js';
import { parseFinal } from './final.js';
import { parseUrc } from './urc.js';
import { parseQnetdevctl, parseQnetdevstatus, parseUsbnet } from './usbnet.js';

const PARSERS: [string, string, (lines: string[]) => unknown][] = [
  ['+CSQ:', 'csq', (l) => parseCsq(l[0]!)],
  ['+QENG: "servingcell",', 'qeng', (l) => parseServingCell(l)],
  ['+QENG: ', 'qeng-any', (l) => parseServingCell(['+QENG: "servingcell","NOCONN"', ...l])],
  ['+COPS:', 'cops', (l) => parseCops(l[0]!)],
  ['+QNWINFO:', 'qnwinfo', (l) => parseQnwinfo(l)],
  ['+CEREG:', 'cereg', (l) => parseRegistration(l[0]!)],
  ['+C5GREG:', 'c5greg', (l) => parseRegistration(l[0]!, 'read')],
  ['+CREG:', 'creg', (l) => parseRegistration(l[0]!, 'urc')],
  ['+CGDCONT:', 'cgdcont', (l) => parseCgdcont(l)],
  ['+QIACT:', 'qiact', (l) => parseQiact(l)],
  ['+QCFG: "usbnet",', 'qcfg-usbnet', (l) => parseUsbnet(l)],
  ['+QNETDEVCTL: ', 'qnetdevctl', (l) => parseQnetdevctl(l)],
  ['+QNETDEVSTATUS: ', 'qnetdevstatus', (l) => parseQnetdevstatus(l)],
  ['+QPING:', 'qping', (l) => parseQping(l[0]!)],
  ['+CPIN:', 'cpin', (l) => parseCpin(l[0]!)],
  ['+QPINC:', 'qpinc', (l) => parseQpinc(l[0]!)],
  ['', 'ati', (l) => parseAti(l)],
  ['', 'imei', (l) => parseImei(l)],
  ['+QCCID:', 'iccid', (l) => parseIccid(l)],
  ['', 'imsi', (l) => parseImsi(l)],
  ['+QTEMP:', 'qtemp', (l) => parseQtemp(l)],
  ['', 'final', (l) => parseFinal(l[0]!)],
  ['+QIURC:', 'urc', (l) => parseUrc(l[0]!)],
  ['+QNETDEVSTATUS:', 'urc2', (l) => parseUrc(l[0]!)],
];

// Tails built from the characters AT replies are made of, so the parsers get past their prefix.
const atChars = fc.constantFrom(...'0123456789,-" ABCDEFGNQRSTL.xbstu'.split(''));
const tail = fc.array(atChars, { maxLength: 120 }).map((a) => a.join(''));
const randomText = fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder().decode(b).replace(/[\r\n]/g, ''));

function onlyBadReply(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SmartpoleError);
    expect((e as SmartpoleError).code).toBe('SP_AT_BAD_REPLY');
  }
}

describe('reply parsers under random input', () => {
  for (const [prefix, name, parse] of PARSERS) {
    it(`${name}: a value or SP_AT_BAD_REPLY, never another exception`, () => {
      fc.assert(fc.property(fc.array(fc.oneof(tail.map((t) => prefix + t), randomText), { minLength: 1, maxLength: 3 }), (lines) => {
        onlyBadReply(() => parse(lines));
      }), { numRuns: 300 });
    });
  }
});
