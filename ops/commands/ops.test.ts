import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './cmd.js';
import { FleetView, fleetTable, rowFromState } from './fleet.js';
import { parseTarget } from './notice.js';
import { opsMain } from '../cli.js';

describe('ops helpers', () => {
  it('reads command arguments as JSON or key=value', () => {
    expect(parseCommandArgs([])).toEqual({});
    expect(parseCommandArgs(['{"level": 40, "zones": [1, 2]}'])).toEqual({ level: 40, zones: [1, 2] });
    expect(parseCommandArgs(['level=40', 'on=true', 'name=澳门路', 'raw="7"'])).toEqual({ level: 40, on: true, name: '澳门路', raw: '7' });
    expect(() => parseCommandArgs(['level'])).toThrow(/key=value/);
    expect(() => parseCommandArgs(['{nope'])).toThrow(/JSON/);
  });

  it('parses targets', () => {
    expect(parseTarget(undefined)).toEqual({ scope: 'all' });
    expect(parseTarget('group:district/jiangan')).toEqual({ scope: 'group', group: 'district/jiangan' });
    expect(parseTarget('pole:WH-JA-0001')).toEqual({ scope: 'pole', poleId: 'WH-JA-0001' });
    expect(() => parseTarget('everyone')).toThrow(/--to/);
  });

  it('renders the fleet table from births and wills', () => {
    const rows = [
      rowFromState('WH-JA-0002', { online: false, bdSeq: 3, poleId: 'WH-JA-0002', reason: 'connection lost' }),
      rowFromState('WH-JA-0001', {
        online: true, bdSeq: 12, software: '0.1.0', uptimeSec: 3725, timestamp: '2026-11-26T10:00:00.000Z', outbox: { depth: 4 },
        devices: { led: { status: 'ok' }, modem: { status: 'down', detail: 'no SIM' }, fieldBus: { status: 'absent' } },
      }),
    ];
    const t = fleetTable(rows);
    expect(t.split('\n')[1]).toMatch(/^WH-JA-0001\s+online\s+12\s+0\.1\.0\s+-\s+-\s+1h2m\s+4\s+1 ok; modem down/);
    expect(t).toMatch(/WH-JA-0002\s+offline \(connection lost\)\s+3/);
    expect(t).toMatch(/2 poles, 1 online\n/);
  });

  it('shows each pole\'s release, the one kept, and the rollout', () => {
    const birth = (id: string, software: string, update: Record<string, unknown>) => rowFromState(id, { online: true, bdSeq: 1, software, update: { running: software, kept: null, state: 'idle', target: null, progress: null, lastRollback: null, ...update } });
    const t = fleetTable([
      birth('P1', '0.2.0', { kept: '0.1.0' }),
      birth('P2', '0.1.0', { state: 'downloading', target: '0.2.0', progress: 40 }),
      birth('P3', '0.1.0', { kept: 'base', lastRollback: { release: '0.2.0', reason: 'crash-loop: 3 starts without becoming healthy', at: '2026-12-08T01:00:00Z' } }),
    ]);
    expect(t).toMatch(/P1\s+online\s+1\s+0\.2\.0\s+0\.1\.0\s+-/);
    expect(t).toMatch(/P2\s+online\s+1\s+0\.1\.0\s+-\s+downloading 0\.2\.0 40 %/);
    expect(t).toMatch(/P3\s+online\s+1\s+0\.1\.0\s+base\s+rolled back 0\.2\.0: crash-loop/);
    expect(t).toMatch(/versions 0\.1\.0: 2, 0\.2\.0: 1; 1 updating, 1 rolled back$/);
  });

  it('explains what is missing instead of failing obscurely', async () => {
    const err: string[] = [];
    expect(await opsMain(['cmd', 'WH-JA-0001'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err.join()).toMatch(/usage: smartpole ops cmd/);
    expect(await opsMain(['cap', 'push', '--file', '/nonexistent.xml', '--mqtt-url', 'mqtt://127.0.0.1:9'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err.join()).toMatch(/cannot read/);
    expect(await opsMain(['frobnicate'], () => {}, (s) => err.push(s))).toBe(2);
  });

  it('marks a pole stale when neither birth nor heartbeat came within the multiple of its interval (a dead node keeps no Will)', () => {
    const v = new FleetView(3);
    const t0 = Date.parse('2026-12-07T10:00:00Z');
    const birth = (bdSeq: number, at: number) => Buffer.from(JSON.stringify({ online: true, bdSeq, timestamp: new Date(at).toISOString(), heartbeatSec: 10, broker: 'mqtt://n1:1' }));
    v.state('P1', birth(4, t0 - 5000), true, t0);
    v.state('P2', birth(9, t0), false, t0);
    v.state('P3', Buffer.from(JSON.stringify({ online: true, bdSeq: 1 })), true, t0);
    expect(v.rows(t0).map((r) => r.state)).toEqual(['online', 'online', 'online']);
    v.heartbeat('P1', Buffer.from(JSON.stringify({ at: new Date(t0 + 20_000).toISOString() })), false, t0 + 20_000);
    const at40 = v.rows(t0 + 40_000);
    expect(at40.find((r) => r.pole === 'P1')!.state).toBe('online');
    expect(at40.find((r) => r.pole === 'P2')!.state).toBe('stale');
    expect(at40.find((r) => r.pole === 'P3')!.state).toBe('online');
    expect(fleetTable(at40, t0 + 40_000)).toMatch(/P2\s+stale \(last seen 40 s ago\)/);
    expect(fleetTable(at40, t0 + 40_000)).toMatch(/3 poles, 2 online, 1 stale\n/);
    v.state('P2', birth(10, t0 + 41_000), false, t0 + 41_000);
    expect(v.rows(t0 + 41_000).find((r) => r.pole === 'P2')).toMatchObject({ state: 'online', bdSeq: 10 });
    v.state('P2', Buffer.from('not json'), false, t0);
    v.state('P2', Buffer.alloc(0), true, t0);
    expect(v.rows(t0).map((r) => r.pole)).toEqual(['P1', 'P3']);
  });

  it('refuses targets that cannot be a topic level on a cluster (SP_OPS_TOPIC_LEVEL)', async () => {
    expect(() => parseTarget('group:district/jiang.an')).toThrow(expect.objectContaining({ code: 'SP_OPS_TOPIC_LEVEL' }));
    expect(() => parseTarget('pole:WH JA')).toThrow(expect.objectContaining({ code: 'SP_OPS_TOPIC_LEVEL' }));
    const err: string[] = [];
    expect(await opsMain(['cmd', 'WH.1', 'ping', '--mqtt-url', 'mqtt://127.0.0.1:9'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err.join()).toMatch(/SP_OPS_TOPIC_LEVEL/);
  });
});
