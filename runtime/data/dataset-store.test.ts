import { describe, expect, it } from 'vitest';
import { openDatabase } from '../storage/database.js';
import { DataSetStore } from './dataset-store.js';

describe('DataSetStore', () => {
  it('prefers the pole-specific data set and skips expired ones', () => {
    const s = new DataSetStore(openDatabase(':memory:'));
    s.put({ name: 'transit', scope: 'all', issuer: 'ops', version: 1, issuedAt: '2026-11-26T10:00:00+08:00', expiresAt: null, data: { stops: ['all'] } });
    expect(s.get<{ stops: string[] }>('transit')?.data.stops).toEqual(['all']);
    s.put({ name: 'transit', scope: 'pole', issuer: 'ops', version: 2, issuedAt: '2026-11-26T10:00:00+08:00', expiresAt: 1000, data: { stops: ['mine'] } });
    expect(s.get<{ stops: string[] }>('transit', 500)?.data.stops).toEqual(['mine']);
    expect(s.get<{ stops: string[] }>('transit', 2000)?.data.stops).toEqual(['all']);
    expect(s.get('weather')).toBeNull();
    expect(s.list().map((d) => `${d.name}/${d.scope}`)).toEqual(['transit/all', 'transit/pole']);
  });
});
