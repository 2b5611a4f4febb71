import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FieldServices } from './field/module.js';
import { fieldScreenStatus } from './field-to-screen.js';

/** Just enough of the field-bus services: their plain-data status and their `change` events. */
function fakeField(o: { iec: string | null; status: string; session?: boolean; padsOnline?: boolean; lampLevel?: number | null }) {
  const charging = Object.assign(new EventEmitter(), {
    snapshot: () => ({
      connectors: [{
        id: 1, status: o.status, errorCode: 'NoError', iec: o.iec, plugged: true, plugIn: 42, operative: true, faults: [], authorizedUntil: null,
        session: o.session ? { transactionId: 't', state: 'active', source: 'payment', startedAt: '', durationSec: 60, energyWh: 1234, powerW: 3650, cost: 1.7, limitWh: null, paymentAmount: 20 } : null,
      }],
      tariff: { currency: 'CNY', pricePerKwh: 1.4, energyPerKwh: 0.6, servicePerKwh: 0.8 }, available: true, meter: null,
    }),
  });
  const pads = Object.assign(new EventEmitter(), {
    status: () => ({
      online: o.padsOnline ?? true, free: 1,
      pads: [
        { pad: 1, enabled: true, inUse: true, powerW: 7.6, temperatureC: 31, fault: null },
        { pad: 2, enabled: true, inUse: false, powerW: 0, temperatureC: 25, fault: 'OverTemperature' },
        { pad: 3, enabled: false, inUse: false, powerW: 0, temperatureC: 25, fault: null },
      ],
    }),
  });
  const lamp = Object.assign(new EventEmitter(), {
    status: () => ({ online: o.lampLevel !== undefined, level: o.lampLevel ?? null, actualLevel: o.lampLevel ?? null }),
  });
  return { bus: null, charging, pads, lamp, start() {}, async stop() {} } as unknown as FieldServices;
}

const opts = { poleId: 'WH-JA-0001', startUrl: 'https://pay.example.invalid/ev?pole={pole}&c={connector}&car={plugIn}', maxCurrentA: 16 };

describe('fieldScreenStatus', () => {
  it('maps the charging snapshot to ports, price and a start URL for this pole and the car plugged in', () => {
    const s = fieldScreenStatus(fakeField({ iec: 'C2', status: 'Charging', session: true }), opts).charging();
    expect(s).toEqual({
      ports: [{ id: '1', label: { zh: '1号桩', en: 'Port 1' }, connector: 'GB/T AC', status: 'Charging', maxKw: 3.7, powerKw: 3.7, energyKwh: 1.2, startUrl: 'https://pay.example.invalid/ev?pole=WH-JA-0001&c=1&car=42' }],
      price: { energyYuanPerKwh: 0.6, serviceYuanPerKwh: 0.8 },
    });
  });

  it('says unavailable (null) until the controller has answered, and offers no QR without a start URL', () => {
    expect(fieldScreenStatus(fakeField({ iec: null, status: 'Unavailable' }), opts).charging()).toBeNull();
    const s = fieldScreenStatus(fakeField({ iec: 'A1', status: 'Available' }), { ...opts, startUrl: undefined }).charging();
    expect(s!.ports[0]!.startUrl).toBeUndefined();
  });

  it('maps pads (fault over off over in use) and the lamp; null when their units do not answer', () => {
    const f = fieldScreenStatus(fakeField({ iec: 'A1', status: 'Available', lampLevel: 60 }), opts);
    expect(f.pads()).toEqual([{ id: '1', state: 'in-use', powerW: 8 }, { id: '2', state: 'fault' }, { id: '3', state: 'off' }]);
    expect(f.lamp()).toEqual({ on: true, levelPct: 60 });
    const g = fieldScreenStatus(fakeField({ iec: 'A1', status: 'Available', padsOnline: false }), opts);
    expect(g.pads()).toBeNull();
    expect(g.lamp()).toBeNull();
    expect(fieldScreenStatus({ charging: null, pads: null, lamp: null }, opts).charging()).toBeNull();
  });

  it('tells the screen about every change of the three services, until unsubscribed', () => {
    const field = fakeField({ iec: 'A1', status: 'Available' });
    let n = 0;
    const off = fieldScreenStatus(field, opts).subscribe!(() => n++);
    field.charging!.emit('change', field.charging!.snapshot());
    field.pads!.emit('change', field.pads!.status());
    field.lamp!.emit('change', field.lamp!.status());
    off();
    field.lamp!.emit('change', field.lamp!.status());
    expect(n).toBe(3);
  });
});
