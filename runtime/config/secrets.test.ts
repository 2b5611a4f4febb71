import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isSecretKey, redactConfig, redactText, redactUrl } from './secrets.js';

describe('config secrets', () => {
  it('knows secret keys by their last segment', () => {
    expect(['mqtt.password', 'devices.modem.simPin', 'devices.modem.apnPassword', 'devices.console.pinHash'].every(isSecretKey)).toBe(true);
    expect(isSecretKey('devices.console.idleLogoutSec')).toBe(false);
  });

  it('removes URL passwords and keeps everything else', () => {
    expect(redactUrl('mqtt://pole:s3cret@broker:1883')).toBe('mqtt://pole:[redacted]@broker:1883');
    expect(redactUrl('mqtts://broker:8883')).toBe('mqtts://broker:8883');
    expect(redactUrl('https://pay.example/ev?pole=1')).toBe('https://pay.example/ev?pole=1');
  });

  it('redacts a whole config, nested and in arrays, leaving unset secrets absent', () => {
    const c = { mqtt: { url: 'mqtt://u:pw@h', password: 'x' }, devices: { modem: { apnPassword: 'y', simPin: undefined } }, list: [{ token: 't' }] };
    expect(redactConfig(c)).toEqual({ mqtt: { url: 'mqtt://u:[redacted]@h', password: '[redacted]' }, devices: { modem: { apnPassword: '[redacted]', simPin: undefined } }, list: [{ token: '[redacted]' }] });
    expect(c.mqtt.password).toBe('x');
  });

  it('redacts secrets typed into a console line', () => {
    expect(redactText('config set mqtt.url mqtt://u:pw@h:1883')).toBe('config set mqtt.url mqtt://u:[redacted]@h:1883');
    expect(redactText('config set devices.modem {apn: cmnet, apnPassword: p4ss, simPin: "1234"}')).toBe('config set devices.modem {apn: cmnet, apnPassword: [redacted], simPin: [redacted]}');
    expect(redactText('lamp set 40 30')).toBe('lamp set 40 30');
  });

  it('never throws and never returns a secret it was given as name=value', () => {
    fc.assert(fc.property(fc.string(), fc.stringMatching(/^[A-Za-z0-9]{4,12}$/), (noise, secret) => {
      const out = redactText(`${noise} password=${secret}`);
      expect(out.endsWith(`password=${secret}`)).toBe(false);
    }));
  });
});
