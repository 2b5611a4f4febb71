import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfigFile, parseConfig } from './load.js';

const withModem = (modem: Record<string, unknown>) => ({
  pole: { id: 'WH-JA-0001', location: { lat: 30.6, lon: 114.3 } },
  mqtt: { url: 'mqtt://127.0.0.1:1883' },
  trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: '2x0H2gZRJ1C/Ep1cT5pI0kb8m6a0yF6Zq7g2m4oXb3c=' }] },
  devices: { modem: { path: '/dev/ttyUSB2', ...modem } },
});

describe('config: devices.modem', () => {
  it('defaults to production timing and the documented data settings', () => {
    const m = parseConfig(withModem({})).devices.modem!;
    expect(m).toMatchObject({ apn: 'cmnet', pdpType: 'IPV4V6', contextId: 1, apnAuth: 'none', resetsBeforePowerCycle: 2, maxConsecutiveTimeouts: 3, baudRate: 115200 });
    expect(m.timing).toEqual({ scale: 1, floorMs: 1000, commandTimeoutsMs: {} });
  });

  it('the host data path: an interface name, ECM by default; absent means the module\'s own stack', () => {
    expect(parseConfig(withModem({ host: { interface: 'usb0' } })).devices.modem!.host).toEqual({ interface: 'usb0', usbnet: 'ecm' });
    expect(parseConfig(withModem({})).devices.modem!.host).toBeUndefined();
  });

  it('takes a scaled timing table with explicit entries', () => {
    const m = parseConfig(withModem({ timing: { scale: 0.1, commandTimeoutsMs: { 'AT+COPS': 20_000 }, pollMs: 5_000 } })).devices.modem!;
    expect(m.timing).toMatchObject({ scale: 0.1, pollMs: 5_000, commandTimeoutsMs: { 'AT+COPS': 20_000 } });
  });

  it.each([
    [{ apn: 'cm"net' }, 'devices.modem.apn'],
    [{ simPin: '12ab' }, 'devices.modem.simPin'],
    [{ timing: { scale: 2 } }, 'devices.modem.timing.scale'],
    [{ timing: { pollSec: 3 } }, 'devices.modem.timing'],
    [{ timing: { commandTimeoutsMs: { CSQ: 1 } } }, 'devices.modem.timing.commandTimeoutsMs'],
    [{ pdpType: 'IPX' }, 'devices.modem.pdpType'],
    [{ host: { interface: 'usb0; rm -rf' } }, 'devices.modem.host.interface'],
    [{ host: { interface: 'a-very-long-interface-name' } }, 'devices.modem.host.interface'],
    [{ host: { interface: 'usb0', usbnet: 'qmi' } }, 'devices.modem.host.usbnet'],
  ])('refuses %j naming %s', (bad, path) => {
    expect(() => parseConfig(withModem(bad))).toThrow(expect.objectContaining({ code: 'SP_CONFIG_INVALID', message: expect.stringContaining(path) }));
  });

  it('the shipped example configures the modem with its GPIO hook', () => {
    const c = loadConfigFile(join(import.meta.dirname, '../../config/example.yaml'));
    expect(c.devices.modem).toMatchObject({ path: '/dev/smartpole/modem-at', apn: 'cmnet', powerCycleCommand: expect.stringContaining('modem-power-cycle.sh'), host: { interface: 'usb0', usbnet: 'ecm' } });
  });
});
