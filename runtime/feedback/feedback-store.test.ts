import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { FeedbackStore } from './feedback-store.js';

describe('FeedbackStore', () => {
  it('stores a message atomically with its uplink record and looks up replies', () => {
    const s = new FeedbackStore(openDatabase(':memory:'));
    expect(() => s.add({ ticket: 'T1', category: 'facility', problem: 'lamp-out', location: '澳门路', createdAt: 1 }, () => { throw new Error('outbox full'); })).toThrow();
    expect(s.get('T1')).toBeNull(); // rolled back with the failed outbox insert
    s.add({ ticket: 'T1', category: 'facility', problem: 'lamp-out', location: '澳门路', createdAt: 1 });
    expect(s.get('T1')).toMatchObject({ problem: 'lamp-out' });
    expect(s.reply('T1')).toBeNull();
    s.putReply({ ticket: 'T1', issuer: 'ops', version: 1, status: 'resolved', reply: { zh: '已修复' }, receivedAt: 2 });
    expect(s.reply('T1')).toMatchObject({ status: 'resolved', reply: { zh: '已修复' } });
  });
});
