import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dataTopic, idToLevel, isSafeLevel, levelToId, noticeTopic, parseInboundTopic, poleTopics, replyTopic } from './topics.js';
import { MessageId } from './signed.js';

const P = 'smartpole/v1';

describe('topics', () => {
  it('subscribes to all, each group, and the pole', () => {
    const t = poleTopics(P, 'WH-JA-0001', ['district/jiangan', 'street/aomen-rd']);
    expect(t.subscriptions).toContain('smartpole/v1/notices/all/+');
    expect(t.subscriptions).toContain('smartpole/v1/notices/group/district/jiangan/+');
    expect(t.subscriptions).toContain('smartpole/v1/notices/pole/WH-JA-0001/+');
    expect(t.state).toBe('smartpole/v1/poles/WH-JA-0001/state');
  });

  it('parses every inbound kind and round-trips notice targets', () => {
    for (const target of [{ scope: 'all' as const }, { scope: 'group' as const, group: 'district/jiangan' }, { scope: 'pole' as const, poleId: 'WH-JA-0001' }]) {
      expect(parseInboundTopic(P, noticeTopic(P, target, 'n-1'))).toEqual({ kind: 'notice', target, id: 'n-1' });
    }
    expect(parseInboundTopic(P, 'smartpole/v1/poles/X/cmd')).toEqual({ kind: 'cmd', poleId: 'X' });
    expect(parseInboundTopic(P, 'smartpole/v1/data/transit')).toEqual({ kind: 'data', dataset: 'transit' });
    expect(parseInboundTopic(P, 'smartpole/v1/poles/X/data/weather')).toEqual({ kind: 'data', dataset: 'weather', poleId: 'X' });
    expect(parseInboundTopic(P, 'smartpole/v1/poles/X/replies/T123')).toEqual({ kind: 'reply', poleId: 'X', ticket: 'T123' });
  });

  it('rejects foreign and malformed topics', () => {
    for (const t of ['other/v1/notices/all/x', 'smartpole/v1/notices/all', 'smartpole/v1/notices/all/a/b', 'smartpole/v1//x', 'smartpole/v1/poles/X/state']) {
      expect(parseInboundTopic(P, t)).toBeNull();
    }
  });

  it('puts ids with "." on a cluster-safe level and reads them back (NATS 2.9 refuses "." in a level)', () => {
    const t = noticeTopic(P, { scope: 'all' }, 'cap.2.49.0.1.156');
    expect(t).toBe('smartpole/v1/notices/all/cap%2E2%2E49%2E0%2E1%2E156');
    expect(t.split('/').every(isSafeLevel)).toBe(true);
    expect(parseInboundTopic(P, t)).toEqual({ kind: 'notice', target: { scope: 'all' }, id: 'cap.2.49.0.1.156' });
    expect(parseInboundTopic(P, dataTopic(P, 'x.y', 'WH-1'))).toEqual({ kind: 'data', dataset: 'x.y', poleId: 'WH-1' });
    expect(parseInboundTopic(P, replyTopic(P, 'WH-1', '123456789'))).toEqual({ kind: 'reply', poleId: 'WH-1', ticket: '123456789' });
    for (const bad of ['a.b', 'a b', 'a*', '>', '+', '#', '', 'a/b']) expect(isSafeLevel(bad)).toBe(false);
    expect(isSafeLevel('WH-JA-0001')).toBe(true);
  });

  it('property: every valid message id maps to one safe level and back, and distinct ids stay distinct', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/).filter((s) => MessageId.safeParse(s).success);
    fc.assert(fc.property(id, id, (a, b) => {
      expect(isSafeLevel(idToLevel(a))).toBe(true);
      expect(levelToId(idToLevel(a))).toBe(a);
      if (a !== b) expect(idToLevel(a)).not.toBe(idToLevel(b));
    }));
  });

  it('property: any topic parses without throwing, and a parsed notice rebuilds to the same topic', () => {
    const level = fc.stringMatching(/^[A-Za-z0-9.%_ -]{1,12}$/);
    fc.assert(fc.property(fc.array(level, { minLength: 1, maxLength: 6 }), (levels) => {
      const topic = `${P}/notices/all/${levels.join('/')}`;
      const r = parseInboundTopic(P, topic);
      if (r?.kind === 'notice' && /^[A-Za-z0-9._-]+$/.test(r.id) && !/%(?!2E|25)/i.test(levels[0]!)) {
        expect(levelToId(idToLevel(r.id))).toBe(r.id);
      }
    }));
  });
});
