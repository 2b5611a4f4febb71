import { describe, expect, it } from 'vitest';
import { FecPolicy } from './fec-policy.js';

describe('FecPolicy (docs/protocols/led-link.md §6.4)', () => {
  const make = () => new FecPolicy({ maxFec: 32, maxPayload: 8192 });

  it('costs nothing on a clean line', () => {
    const p = make();
    for (let i = 0; i < 100; i++) p.onDelivered(8212, 0);
    expect(p.state()).toMatchObject({ parity: 0, payloadLimit: 8192 });
  });

  it('switches FEC on at the first loss, without shrinking frames', () => {
    const p = make();
    p.onLost(8212);
    expect(p.state()).toMatchObject({ parity: 20, payloadLimit: 8192 });
  });

  it('follows the measured error rate up and (with hysteresis) down', () => {
    const p = make();
    p.onLost(8212);
    for (let i = 0; i < 40; i++) p.onDelivered(8852, Math.round(8852 * 0.02)); // 2 %
    expect(p.parity).toBe(32);
    for (let i = 0; i < 40; i++) p.onDelivered(8852, Math.round(8852 * 0.01)); // 1 %: below 0.85 × 1.3 % → back to 20
    expect(p.parity).toBe(20);
    for (let i = 0; i < 60; i++) p.onDelivered(8852, Math.round(8852 * 0.0005));
    expect(p.parity).toBe(8);
  });

  it('frames sent before FEC came on do not pull the error rate down', () => {
    const p = make();
    p.onLost(8212);
    for (let i = 0; i < 20; i++) p.onDelivered(3000, 0, 0); // small frames that slipped through unprotected
    for (let i = 0; i < 20; i++) p.onDelivered(8852, Math.round(8852 * 0.01), 20);
    expect(p.state()).toMatchObject({ parity: 20, payloadLimit: 8192 });
  });

  it('turns FEC off after 1 MiB without a single repair', () => {
    const p = make();
    p.onLost(8212);
    for (let i = 0; i < 130; i++) p.onDelivered(8852, 0);
    expect(p.parity).toBe(0);
  });

  it('shrinks frames while losses persist in spite of FEC, and grows them back', () => {
    const p = make();
    p.onLost(8212);
    for (let i = 0; i < 5; i++) p.onLost(8852);
    expect(p.payloadLimit).toBeLessThan(8192);
    expect(p.payloadLimit).toBeGreaterThanOrEqual(1024);
    for (let i = 0; i < 200; i++) p.onDelivered(8852, 40);
    expect(p.payloadLimit).toBe(8192);
  });

  it('a pinned level never moves', () => {
    const p = new FecPolicy({ mode: 16, maxFec: 32, maxPayload: 8192 });
    p.onLost(1000);
    for (let i = 0; i < 200; i++) p.onDelivered(8852, 0);
    expect(p.parity).toBe(20); // the nearest level at or above 16
  });
});
