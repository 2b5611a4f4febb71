import { describe, expect, it } from 'vitest';
import { ConnectorFaults } from './connector-faults.js';

describe('ConnectorFaults', () => {
  it('times a silent meter from its first failed evaluation and clears it when it answers', () => {
    const f = new ConnectorFaults(50);
    f.update({ meterOffline: true, powerW: 0, shouldBeOff: true, now: 1000 });
    f.update({ meterOffline: true, powerW: 0, shouldBeOff: true, now: 31_000 });
    expect(f.list()).toEqual(['PowerMeterFailure']);
    expect(f.meterLostMs(31_000)).toBe(30_000);
    f.update({ meterOffline: false, powerW: 0, shouldBeOff: true, now: 32_000 });
    expect([f.size, f.meterLostMs(32_000)]).toEqual([0, 0]);
  });

  it('confirms a stuck relay on the third reading in a row (alarm once), and clears it when the power stops', () => {
    const f = new ConnectorFaults(50);
    const stuck = () => f.update({ meterOffline: false, powerW: 3600, shouldBeOff: true, now: 0 });
    expect([stuck(), stuck(), stuck(), stuck()]).toEqual([false, false, true, false]);
    expect(f.has('PowerSwitchFailure')).toBe(true);
    expect(f.update({ meterOffline: false, powerW: 3600, shouldBeOff: false, now: 0 })).toBe(false);
    expect(f.has('PowerSwitchFailure')).toBe(true); // a session running again does not clear it
    f.update({ meterOffline: false, powerW: 0, shouldBeOff: true, now: 0 });
    expect(f.has('PowerSwitchFailure')).toBe(false);
  });
});
