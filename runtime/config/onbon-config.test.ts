import { describe, expect, it } from 'vitest';
import { parseConfig } from './load.js';

const base = {
  pole: { id: 'WH-JA-0001', location: { lat: 30.6, lon: 114.3, address: '武汉市江岸区澳门路', areaCode: '420102' } },
  mqtt: { url: 'mqtt://127.0.0.1:1883' },
  trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: '2x0H2gZRJ1C/Ep1cT5pI0kb8m6a0yF6Zq7g2m4oXb3c=' }] },
};

describe('screens: led.protocol and devices.sign', () => {
  it('defaults led to our link and fills the sign\'s card defaults', () => {
    const c = parseConfig({ ...base, devices: { led: { path: '/dev/ttyACM0' }, sign: { path: '/dev/ttyUSB1', width: 160, height: 32 } } }, '/etc/smartpole');
    expect(c.devices.led).toMatchObject({ protocol: 'smartpole', baudRate: 1_000_000 });
    expect(c.devices.sign).toMatchObject({ protocol: 'onbon', baudRate: 9600, model: '5E1', address: 1, colours: 'red', fontPx: 16, retries: 3 });
  });

  it('takes an Onbon card as the main screen', () => {
    const c = parseConfig({ ...base, devices: { led: { protocol: 'onbon', path: '/dev/ttyUSB0', model: '6E2', width: 192, height: 48, colours: 'red-green', baudRate: 57600 } } }, '/etc/smartpole');
    expect(c.devices.led).toMatchObject({ protocol: 'onbon', model: '6E2', baudRate: 57600 });
  });

  it('refuses a sign without its size, an odd width, a baud rate the card has not, and LED-link keys on a card', () => {
    const bad = (sign: Record<string, unknown>) => () => parseConfig({ ...base, devices: { sign: { path: '/dev/ttyUSB1', width: 160, height: 32, ...sign } } }, '/etc/smartpole');
    expect(() => parseConfig({ ...base, devices: { sign: { path: '/dev/x' } } }, '/etc/smartpole')).toThrow(/devices\.sign\.width/);
    expect(bad({ width: 161 })).toThrow(/devices\.sign\.width/);
    expect(bad({ baudRate: 14400 })).toThrow(/devices\.sign\.baudRate/);
    expect(bad({ fontPx: 12 })).toThrow(/devices\.sign\.fontPx/);
    expect(bad({ linkRate: 1000 })).toThrow(/linkRate/);
  });
});
