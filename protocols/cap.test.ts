import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { capChainId, capNoticeId, parseCap, parseGbtIdentifier, shiftCapTimes } from './cap.js';

const SAMPLES = join(import.meta.dirname, '../docs/examples/cap');
const sample = (f: string) => readFileSync(join(SAMPLES, f), 'utf8');

describe('CAP 1.2 parser', () => {
  it('reads the GB/T 35965.1 Wuhan rainstorm warning with both languages', () => {
    const r = parseCap(sample('wuhan-rainstorm-orange.xml'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = r.alert;
    expect(a).toMatchObject({ identifier: '42010041600000_20260710143000_1', sender: '42010041600000', status: 'Actual', msgType: 'Alert', scope: 'Public' });
    expect(a.info.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
    expect(a.info[0]).toMatchObject({ event: '暴雨', urgency: 'Immediate', severity: 'Severe', certainty: 'Likely', expires: '2026-07-11T14:30:00+08:00' });
    expect(a.info[0]!.area[0]!.geocode).toEqual([{ valueName: 'GB/T 2260', value: '420100' }]);
    expect(parseGbtIdentifier(a.identifier)).toEqual({ areaCode: '420100', department: '416', unit: '000', issuedLocal: '20260710143000', sequence: 1 });
  });

  it('reads references of an Update and a Cancel, and keeps the chain id of the first alert', () => {
    const u = parseCap(sample('wuhan-rainstorm-red-update.xml'));
    const c = parseCap(sample('wuhan-rainstorm-cancel.xml'));
    expect(u.ok && c.ok).toBe(true);
    if (!u.ok || !c.ok) return;
    expect(u.alert.referenceList).toEqual([{ sender: '42010041600000', identifier: '42010041600000_20260710143000_1', sent: '2026-07-10T14:30:00+08:00' }]);
    expect(c.alert.referenceList).toHaveLength(2);
    const chain = 'cap-42010041600000_20260710143000_1';
    expect(capChainId(u.alert)).toBe(chain);
    expect(capChainId(c.alert)).toBe(chain);
    const first = parseCap(sample('wuhan-rainstorm-orange.xml'));
    expect(first.ok && capChainId(first.alert)).toBe(chain);
  });

  it('parses every sample', () => {
    for (const f of ['wuhan-test.xml', 'shiyan-heat-yellow.xml', 'jiangan-gas-leak-circle.xml']) expect(parseCap(sample(f)).ok, f).toBe(true);
  });

  it('refuses what is not a CAP 1.2 alert, saying where', () => {
    const orange = sample('wuhan-rainstorm-orange.xml');
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['not xml at all', /well-formed/],
      ['<alert><identifier>x</identifier></alert>', /namespace/],
      ['<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', /document type/],
      [orange.replace('<status>Actual</status>', '<status>Real</status>'), /status/],
      [orange.replace('<sent>2026-07-10T14:30:00+08:00</sent>', '<sent>yesterday</sent>'), /sent/],
      [orange.replace('<msgType>Alert</msgType>', '<msgType>Update</msgType>'), /references/],
      [orange.replace(/<info>\s*<language>[\s\S]*<\/info>/, ''), /info/],
      [orange.replace('<urgency>Immediate</urgency>', ''), /info\/0\/urgency/],
      ['<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>', /root element/],
    ];
    for (const [xml, why] of cases) {
      const r = parseCap(xml);
      expect(r.ok, xml.slice(0, 60)).toBe(false);
      if (!r.ok) expect(r.detail).toMatch(why);
    }
  });

  it('never throws on random text, random XML-ish input or mangled samples', () => {
    const orange = sample('wuhan-rainstorm-orange.xml');
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => { expect(typeof parseCap(s).ok).toBe('boolean'); }), { numRuns: 300 });
    const tag = fc.constantFrom('alert', 'info', 'area', 'identifier', 'status', 'geocode', 'value', 'polygon', 'references');
    const xmlish = fc.array(fc.oneof(tag.map((t) => `<${t}>`), tag.map((t) => `</${t}>`), fc.string({ maxLength: 10 })), { maxLength: 30 })
      .map((parts) => `<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${parts.join('')}</alert>`);
    fc.assert(fc.property(xmlish, (s) => { expect(typeof parseCap(s).ok).toBe('boolean'); }), { numRuns: 300 });
    fc.assert(fc.property(fc.nat(orange.length - 1), fc.nat(200), fc.string({ maxLength: 5 }), (at, cut, ins) => {
      expect(typeof parseCap(orange.slice(0, at) + ins + orange.slice(at + cut)).ok).toBe('boolean');
    }), { numRuns: 300 });
  });

  it('names chains with hashes when the identifier does not fit a message id', () => {
    expect(capNoticeId('s', '42010041600000_20260710143000_1')).toBe('cap-42010041600000_20260710143000_1');
    expect(capNoticeId('w@nws.gov', 'urn:oid:2.49.0.1.840.0.abc')).toMatch(/^cap-[0-9a-f]{24}$/);
  });

  it('shifts every time by the same amount, keeping offsets (demos with old samples)', () => {
    const u = sample('wuhan-rainstorm-red-update.xml');
    const shifted = shiftCapTimes(u, 86_400_000);
    const r = parseCap(shifted);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.alert.sent).toBe('2026-07-11T16:30:00+08:00');
    expect(r.alert.info[0]!.expires).toBe('2026-07-12T16:30:00+08:00');
    expect(r.alert.referenceList[0]!.sent).toBe('2026-07-11T14:30:00+08:00');
    expect(r.alert.identifier).toBe('42010041600000_20260710163000_1');
  });
});
