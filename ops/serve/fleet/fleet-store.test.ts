import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openOpsStore } from '../store.js';
import { FLEET_MIGRATIONS } from './migrations.js';
import { FleetStore, livenessOf } from './fleet-store.js';
import type { PoleLeaf, PoleMessage } from '../link.js';

const msg = (poleId: string, leaf: PoleLeaf, body: Record<string, unknown> | null, at: number, retained = false): PoleMessage => ({ poleId, leaf, body, retained, at });
const birth = (poleId: string, o: Record<string, unknown> = {}) => ({
  online: true, bdSeq: 3, poleId, timestamp: '2026-12-08T00:00:00.000Z', software: '0.1.0', startedAt: '2026-12-08T00:00:00.000Z', uptimeSec: 1,
  groups: ['district/jiangan'], location: { lat: 30.6, lon: 114.3, address: '澳门路' }, heartbeatSec: 60,
  devices: { led: { status: 'ok' }, lamp: { status: 'down', detail: 'driver not answering' }, charger: { status: 'degraded', detail: 'slow' } },
  outbox: { depth: 4, bytes: 10, dropped: 0, stream: 's' }, ...o,
});

describe('fleet store', () => {
  it('keeps births, alarms, coordinates, groups; filters', () => {
    let now = 10_000;
    const s = new FleetStore(openOpsStore(':memory:', FLEET_MIGRATIONS), () => now);
    s.apply([msg('A', 'state', birth('A'), now), msg('B', 'state', birth('B', { groups: ['district/wuchang'], devices: {} }), now)]);
    const a = s.pole('A')!;
    expect(a).toMatchObject({ liveness: 'online', software: '0.1.0', outboxDepth: 4, lat: 30.6, lon: 114.3, groups: ['district/jiangan'] });
    expect(a.alarms.map((x) => x.device).sort()).toEqual(['charger', 'lamp']);
    expect(s.groups()).toEqual(['district/jiangan', 'district/wuchang']);
    expect(s.rows({ group: 'district/wuchang' }).map((p) => p.poleId)).toEqual(['B']);
    expect(s.rows({ alarms: true }).map((p) => p.poleId)).toEqual(['A']);
    expect(s.members({ scope: 'group', group: 'district/jiangan' })).toEqual(['A']);
    now += 1000;
  });
  it('stale after 3 heartbeat intervals with nothing heard; a heartbeat brings it back; an old will does not kill a newer birth', () => {
    let now = 0;
    const s = new FleetStore(openOpsStore(':memory:', FLEET_MIGRATIONS), () => now);
    s.apply([msg('A', 'state', birth('A'), 0)]);
    now = 180_001;
    expect(s.pole('A')!.liveness).toBe('stale');
    s.apply([msg('A', 'heartbeat', { poleId: 'A', bdSeq: 3, at: 'x', intervalSec: 60, broker: 'b' }, now)]);
    expect(s.pole('A')!.liveness).toBe('online');
    s.apply([msg('A', 'state', { online: false, bdSeq: 2, poleId: 'A', reason: 'connection lost' }, now)]);
    expect(s.pole('A')!.liveness).toBe('online');
    s.apply([msg('A', 'state', { online: false, bdSeq: 3, poleId: 'A', reason: 'connection lost' }, now)]);
    expect(s.pole('A')).toMatchObject({ liveness: 'offline', offlineReason: 'connection lost' });
    s.apply([msg('A', 'state', null, now, true)]);
    expect(s.pole('A')).toBeNull();
  });
  it('a retained birth counts at the time it carries, not at arrival', () => {
    const now = Date.parse('2026-12-08T01:00:00.000Z');
    const s = new FleetStore(openOpsStore(':memory:', FLEET_MIGRATIONS), () => now);
    s.apply([msg('A', 'state', birth('A'), now, true)]);
    expect(s.pole('A')!.liveness).toBe('stale');
    expect(livenessOf(true, 0, null, now)).toBe('online'); // no heartbeat configured: never stale
  });
  it('keeps the last 200 events per pole and the latest telemetry per kind', () => {
    const s = new FleetStore(openOpsStore(':memory:', FLEET_MIGRATIONS));
    s.apply(Array.from({ length: 250 }, (_, i) => msg('A', 'events', { type: 'event', code: `E${i}`, severity: 'info', message: 'm', at: 'x' }, i)));
    expect(s.events('A', 1000)).toHaveLength(200);
    expect(s.events('A', 1)[0]!.code).toBe('E249');
    s.apply([msg('A', 'telemetry', { kind: 'uplink', at: '2026-12-08T00:00:02Z', values: { outboxDepth: 7 } }, 0), msg('A', 'telemetry', { kind: 'uplink', at: '2026-12-08T00:00:01Z', values: { outboxDepth: 9 } }, 0)]);
    expect(s.telemetry('A')).toEqual([{ kind: 'uplink', at: '2026-12-08T00:00:02Z', values: { outboxDepth: 7 } }]);
    expect(s.pole('A')!.outboxDepth).toBe(9); // depth follows arrival order; telemetry keeps the newest reading
  });
  it('never throws on any message body', () => {
    const s = new FleetStore(openOpsStore(':memory:', FLEET_MIGRATIONS));
    fc.assert(fc.property(fc.constantFrom<PoleLeaf>('state', 'heartbeat', 'events', 'telemetry'), fc.dictionary(fc.constantFrom('online', 'bdSeq', 'groups', 'devices', 'location', 'outbox', 'kind', 'values', 'at', 'code', 'timestamp', 'heartbeatSec'), fc.jsonValue()), (leaf, b) => {
      s.apply([msg('P', leaf, b as Record<string, unknown>, 0)]);
      s.rows();
    }), { numRuns: 300 });
  });
});
