import { describe, expect, it } from 'vitest';
import { formatDuration, modemHealth, modemTelemetry, statusLine, type ModemSnapshot } from './modem-report.js';
import { ModemState } from '../../device/modem/modem-state.js';
import { emptyInfo } from '../../device/modem/modem-info.js';

const counters = { requery: 0, reattach: 0, reset: 0, 'power-cycle': 0, incidents: 0, recovered: 0 };
function snap(p: Partial<ModemSnapshot> = {}): ModemSnapshot {
  return { state: ModemState.Online, since: 0, now: 3_720_000, failure: null, info: emptyInfo(1), path: '/dev/ttyUSB2', recovery: { level: 0, running: null, next: null, counters, problem: null }, ...p };
}

describe('modem status line, health, telemetry', () => {
  it('formats durations for people', () => {
    expect([formatDuration(4_000), formatDuration(192_000), formatDuration(3_720_000), formatDuration(3 * 86_400_000)]).toEqual(['4s', '3m12s', '1h02m', '3d00h']);
  });

  it('online: technology, operator, band, radio, up time, recoveries', () => {
    const info = emptyInfo(1);
    info.operator = { name: 'CHINA MOBILE', act: 11 };
    info.cell = { rat: 'NR5G-SA', state: 'CONNECT', mcc: '460', mnc: '00', cellId: '1A2B3C4D5', pci: 412, tac: '5A29C0', band: 'n41', arfcn: 504990, rsrp: -88, rsrq: -11, sinr: 15 };
    info.data.upSince = 0;
    const s = snap({ info, recovery: { level: 0, running: null, next: null, counters: { ...counters, reset: 1, requery: 1 }, problem: null } });
    expect(statusLine(s)).toBe('modem online · 5G SA · CHINA MOBILE · n41 · RSRP -88 dBm SINR 15 dB · up 1h02m · recoveries 2');
    expect(modemHealth(s)).toMatchObject({ status: 'ok', detail: statusLine(s), rsrp: -88, act: '5G SA', dataUpSec: 3720 });
    expect(modemTelemetry(s, 43, { reset: 5 })).toMatchObject({ state: 'online', mccmnc: '46000', band: 'n41', temperatureC: 43, dataUpSec: 3720, recoveries: { reset: 1, lifetime: { reset: 5 } } });
  });

  it('not online: why, for how long, and the next step', () => {
    const s = snap({
      state: ModemState.Hung, since: 3_700_000, failure: { code: 'SP_MODEM_HUNG', message: '3 AT commands unanswered (last: AT+CSQ)', at: 3_700_000 },
      recovery: { level: 0, running: null, next: { step: 'reset', at: 3_725_000 }, counters, problem: { problem: 'hung', reason: '3 AT commands unanswered (last: AT+CSQ)' } },
    });
    expect(statusLine(s)).toBe('modem hung · 3 AT commands unanswered (last: AT+CSQ) (20s) · next: reset in 5s');
    expect(modemHealth(s)).toMatchObject({ status: 'down', failure: { code: 'SP_MODEM_HUNG' } });
    const locked = snap({ state: ModemState.SimPin, since: 3_710_000, failure: { code: 'SP_MODEM_SIM_PIN', message: 'the SIM needs a PIN and devices.modem.simPin is not set', at: 0 }, recovery: { level: 0, running: null, next: null, counters, problem: { problem: 'sim-locked', reason: '' } } });
    expect(statusLine(locked)).toBe('modem sim-pin · the SIM needs a PIN and devices.modem.simPin is not set (10s) · needs a technician');
    expect(statusLine(snap({ state: ModemState.Registering, since: 3_690_000 }))).toBe('modem registering · searching for the network (30s)');
  });

  it('host data path: the interface, its lease and the route in the line, the health and the telemetry', () => {
    const info = emptyInfo(1);
    info.operator = { name: 'CHINA MOBILE', act: 11 };
    info.data.upSince = 3_660_000;
    const link = { interface: 'usb0', present: true, operstate: 'up', carrier: true, mtu: 1500, address: '192.168.225.31', prefix: 24, defaultVia: '192.168.225.1', brokerRoute: { iface: 'usb0', gateway: '192.168.225.1' }, problem: null, at: 0 };
    info.host = { usbnet: 'ecm', link };
    const s = snap({ info });
    expect(statusLine(s)).toBe('modem online · 5G SA · CHINA MOBILE · usb0 192.168.225.31/24 via 192.168.225.1 · up 1m00s');
    expect(modemHealth(s).host).toEqual({ usbnet: 'ecm', interface: 'usb0', carrier: true, address: '192.168.225.31', prefix: 24, gateway: '192.168.225.1', mtu: 1500, route: 'default via 192.168.225.1 dev usb0', problem: null, line: 'usb0 192.168.225.31/24 via 192.168.225.1' });
    info.host = { usbnet: 'ecm', link: { ...link, defaultVia: null, problem: 'no default route' } };
    expect(statusLine(snap({ info, failure: { code: 'SP_MODEM_DATA_STALL', message: 'the modem says attached but no default route (for 3 s)', at: 0 } })))
      .toBe('modem online · 5G SA · CHINA MOBILE · usb0: no default route · up 1m00s · the modem says attached but no default route (for 3 s)');
    expect(modemTelemetry(snap({ info }), null, {}).host).toMatchObject({ route: null, problem: 'no default route' });
  });
});
