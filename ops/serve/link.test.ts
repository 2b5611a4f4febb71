import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePoleMessage, UplinkDedup } from './link.js';

const P = 'smartpole/v1';

describe('MQTT link: decoding and de-duplication', () => {
  it('decodes every pole leaf; refuses other topics, non-objects and empty payloads except cleared state', () => {
    expect(decodePoleMessage(P, `${P}/poles/A/cmd/res`, Buffer.from('{"id":"c"}'), false, 1)).toMatchObject({ poleId: 'A', leaf: 'cmd/res', body: { id: 'c' } });
    expect(decodePoleMessage(P, `${P}/poles/A/state`, Buffer.alloc(0), true, 1)).toMatchObject({ leaf: 'state', body: null });
    expect(decodePoleMessage(P, `${P}/poles/A/receipts`, Buffer.alloc(0), false, 1)).toBeNull();
    expect(decodePoleMessage(P, `${P}/poles/A/receipts`, Buffer.from('[1]'), false, 1)).toBeNull();
    expect(decodePoleMessage(P, `${P}/poles/A/cmd`, Buffer.from('{}'), false, 1)).toBeNull();
    expect(decodePoleMessage(P, `${P}/notices/all/x`, Buffer.from('{}'), false, 1)).toBeNull();
  });
  it('never throws on any topic and payload', () => {
    fc.assert(fc.property(fc.string(), fc.uint8Array({ maxLength: 300 }), fc.boolean(), (t, p, r) => {
      decodePoleMessage(P, t, Buffer.from(p), r, 0);
      decodePoleMessage(P, `${P}/poles/${t}`, Buffer.from(p), r, 0);
    }), { numRuns: 1000 });
  });
  it('drops a record seen before, keeps records of other topics that overtook each other; a new stream starts again', () => {
    const d = new UplinkDedup(10);
    const m = (stream: string, seq: number) => ({ poleId: 'A', leaf: 'receipts' as const, body: { uplink: { stream, seq } }, retained: false, at: 0 });
    expect([d.fresh(m('s', 1)), d.fresh(m('s', 3)), d.fresh(m('s', 2)), d.fresh(m('s', 2)), d.fresh(m('s', 1)), d.fresh(m('t', 1)), d.fresh(m('t', 3))]).toEqual([true, true, true, false, false, true, true]);
    for (let i = 4; i < 40; i++) expect(d.fresh(m('t', i))).toBe(true);
    expect(d.fresh(m('t', 20))).toBe(false); // below the window: a re-send of something long seen
    expect(d.fresh(m('t', 35))).toBe(false);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 300 }), (seqs) => {
      const x = new UplinkDedup(1000);
      const got = seqs.filter((q) => x.fresh(m('s', q)));
      expect(got).toEqual([...new Set(seqs)]);
    }));
    expect(d.fresh({ poleId: 'A', leaf: 'state', body: { online: true }, retained: true, at: 0 })).toBe(true);
  });
});
