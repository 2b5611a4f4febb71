import { describe, expect, it } from 'vitest';
import { noticeTopic, parseInboundTopic, poleTopics } from './topics.js';

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
});
