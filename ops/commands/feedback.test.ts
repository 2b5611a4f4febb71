import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { makeTicket } from '../../protocols/feedback.js';
import { ReplyPayload } from '../../protocols/dataset.js';
import { OpsUsageError } from '../context.js';
import { feedbackPayload } from './feedback.js';

const T = makeTicket('26331004');
const NOW = Date.parse('2026-12-07T10:00:00+08:00');

describe('smartpole ops feedback reply|status', () => {
  it('builds a status update without text, and an answer with text and department, both valid ReplyPayloads', () => {
    const s = feedbackPayload('status', 'WH-JA-0001', T, { status: 'in-progress', department: '江岸区城管局' }, NOW);
    expect(s).toMatchObject({ type: 'reply', id: T, audience: 'pole:WH-JA-0001', version: NOW, status: 'in-progress', department: { zh: '江岸区城管局' } });
    expect(s.reply).toBeUndefined();
    const r = feedbackPayload('reply', 'WH-JA-0001', T, { text: '已修复', 'text-en': 'Repaired', department: '城管局', 'department-en': 'City Management' }, NOW);
    expect(r).toMatchObject({ status: 'replied', reply: { zh: '已修复', en: 'Repaired' }, department: { zh: '城管局', en: 'City Management' } });
    expect(ReplyPayload.safeParse(r).success && ReplyPayload.safeParse(s).success).toBe(true);
  });

  it('refuses what the pole would refuse, as usage errors before anything is sent', () => {
    const bad: [Parameters<typeof feedbackPayload>[0], string, string, Parameters<typeof feedbackPayload>[3]][] = [
      ['reply', 'WH-JA-0001', T, {}],                                   // no text
      ['reply', 'WH-JA-0001', T, { text: 'x', status: 'in-progress' }], // not an answering status
      ['status', 'WH-JA-0001', T, {}],                                  // no status
      ['status', 'WH-JA-0001', T, { status: 'replied' }],               // an answer is "reply"
      ['status', 'WH-JA-0001', T, { status: 'received', text: 'x' }],   // status carries no text
      ['reply', 'WH-JA-0001', '123456789', { text: 'x' }],              // bad check digit
      ['reply', 'WH/JA', T, { text: 'x' }],                             // not a topic level
      ['reply', 'WH-JA-0001', T, { text: 'x', 'department-en': 'Dept' }],
    ];
    for (const [kind, pole, ticket, f] of bad) expect(() => feedbackPayload(kind, pole, ticket, f, NOW), JSON.stringify([kind, pole, ticket, f])).toThrow(OpsUsageError);
  });

  it('never sends an invalid payload, whatever the flags (property)', () => {
    fc.assert(fc.property(fc.constantFrom('reply' as const, 'status' as const), fc.string(), fc.record({ text: fc.option(fc.string(), { nil: undefined }), status: fc.option(fc.string(), { nil: undefined }) }), (kind, ticket, f) => {
      try {
        expect(ReplyPayload.safeParse(feedbackPayload(kind, 'WH-JA-0001', ticket, f, NOW)).success).toBe(true);
      } catch (e) {
        expect(e).toBeInstanceOf(OpsUsageError);
      }
    }));
  });
});
