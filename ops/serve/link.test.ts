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
  it('drops a record at or below the last seq of its stream; a new stream starts again', () => {
    const d = new UplinkDedup();
    const m = (stream: string, seq: number) => ({ poleId: 'A', leaf: 'receipts' as const, body: { uplink: { stream, seq } }, retained: false, at: 0 });
    expect([d.fresh(m('s', 1)), d.fresh(m('s', 2)), d.fresh(m('s', 2)), d.fresh(m('s', 1)), d.fresh(m('t', 1)), d.fresh(m('s', 3))]).toEqual([true, true, false, false, true, true]);
    expect(d.fresh({ poleId: 'A', leaf: 'state', body: { online: true }, retained: true, at: 0 })).toBe(true);
  });
});
