import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCap } from '../../../protocols/cap.js';
import { checkCapXml, checkNewAlert, followUpIdentifier, writeFollowUp, capPayloadOf } from './cap-draft.js';

const EX = join(import.meta.dirname, '../../../docs/examples/cap');
const orange = readFileSync(join(EX, 'wuhan-rainstorm-orange.xml'), 'utf8');
const T0 = Date.parse('2026-07-10T14:31:00+08:00');

describe('CAP text in the console', () => {
  it('a sample alert: chain id, emergency tier, zh headline', () => {
    const c = checkCapXml(orange, T0);
    expect(c.chainId).toBe('cap-42010041600000_20260710143000_1');
    expect(c.tier).toBe('emergency');
    expect(c.headline).toBe('武汉市气象台发布暴雨橙色预警信号');
  });

  it('refuses broken, expired and non-Alert documents with codes', () => {
    expect(() => checkCapXml('<alert>', T0)).toThrow(expect.objectContaining({ code: 'SP_ALERT_CAP_INVALID' }));
    expect(() => checkCapXml(orange, Date.parse('2026-07-12T00:00:00+08:00'))).toThrow(expect.objectContaining({ code: 'SP_ALERT_EXPIRED' }));
    const later = Date.parse('2026-12-07T22:00:00Z');
    expect(checkCapXml(orange, later, true).alert.sent.startsWith('2026-12-08')).toBe(true);
    const cancel = readFileSync(join(EX, 'wuhan-rainstorm-cancel.xml'), 'utf8');
    expect(() => checkNewAlert(checkCapXml(cancel, T0))).toThrow(expect.objectContaining({ code: 'SP_ALERT_MSGTYPE' }));
  });

  it('follow-up identifiers keep the GB/T form', () => {
    expect(followUpIdentifier('42010041600000_20260710143000_1', 1, 'Update')).toBe('42010041600000_20260710143000_2');
    expect(followUpIdentifier('ALERT-7', 2, 'Cancel')).toBe('ALERT-7-c2');
  });

  it('an Update with edited text and expiry parses and keeps the chain', () => {
    const first = checkCapXml(orange, T0).alert;
    const xml = writeFollowUp(first, orange, [first], 'Update', 1, T0 + 3_600_000, {
      text: { zh: { headline: '暴雨红色预警 <升级>' }, en: { description: 'Now red & rising' } }, expires: '2026-07-12T08:00:00+08:00',
    });
    const p = parseCap(xml);
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    expect(p.alert.msgType).toBe('Update');
    expect(p.alert.info[0]!.headline).toBe('暴雨红色预警 <升级>');
    expect(p.alert.info[1]!.description).toBe('Now red & rising');
    expect(p.alert.info[0]!.expires).toBe('2026-07-12T08:00:00+08:00');
    expect(checkCapXml(xml, T0 + 3_600_000).chainId).toBe('cap-42010041600000_20260710143000_1');
    expect(capPayloadOf('cap-x', { xml }, 'group:district/jiangan', T0, undefined)).toMatchObject({ type: 'cap', audience: 'group:district/jiangan', version: T0 });
  });

  it('any text for headline and description makes a parseable Update (property)', () => {
    const first = checkCapXml(orange, T0).alert;
    fc.assert(fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 200 }), (h, d) => {
      const xml = writeFollowUp(first, orange, [first], 'Update', 1, T0, { text: { zh: { headline: h, description: d } } });
      const p = parseCap(xml);
      expect(p.ok).toBe(true);
      const xmlChar = (ch: string) => { const c = ch.codePointAt(0)!; return (c >= 0x20 || c === 9 || c === 10 || c === 13) && c !== 0xfffe && c !== 0xffff; };
      const kept = [...h].filter(xmlChar).join('').replace(/\s/g, '');
      if (p.ok && kept) expect(p.alert.info[0]!.headline!.replace(/\s/g, '')).toBe(kept);
    }), { numRuns: 150 });
  });

  it('arbitrary pasted text never throws anything but a coded error (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => {
      try { checkCapXml(s, T0); } catch (e) { expect((e as { code?: string }).code).toMatch(/^SP_ALERT_/); }
    }), { numRuns: 300 });
  });
});
