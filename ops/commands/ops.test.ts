import { describe, expect, it } from 'vitest';
import { parseCommandArgs } from './cmd.js';
import { fleetTable, rowFromState } from './fleet.js';
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
    expect(t.split('\n')[1]).toMatch(/^WH-JA-0001\s+online\s+12\s+0\.1\.0\s+1h2m\s+4\s+1 ok; modem down/);
    expect(t).toMatch(/WH-JA-0002\s+offline \(connection lost\)\s+3/);
    expect(t).toMatch(/2 poles, 1 online$/);
  });

  it('explains what is missing instead of failing obscurely', async () => {
    const err: string[] = [];
    expect(await opsMain(['cmd', 'WH-JA-0001'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err.join()).toMatch(/usage: smartpole ops cmd/);
    expect(await opsMain(['cap', 'push', '--file', '/nonexistent.xml', '--mqtt-url', 'mqtt://127.0.0.1:9'], () => {}, (s) => err.push(s))).toBe(2);
    expect(err.join()).toMatch(/cannot read/);
    expect(await opsMain(['frobnicate'], () => {}, (s) => err.push(s))).toBe(2);
  });
});
