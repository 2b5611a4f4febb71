import { describe, expect, it } from 'vitest';
import { parsePinHash } from '../../protocols/console/pin-hash.js';
import { hashPin, verifyPin } from './pin.js';

describe('PIN hashing', () => {
  it('verifies the right PIN and refuses others', async () => {
    const h = await hashPin('135790', { N: 1024 });
    expect(parsePinHash(h)).toMatchObject({ ok: true, value: { N: 1024, r: 8, p: 1 } });
    expect(await verifyPin('135790', h)).toBe(true);
    expect(await verifyPin('135791', h)).toBe(false);
    expect(await verifyPin('', h)).toBe(false);
  });

  it('refuses everything when no hash (or a broken one) is configured', async () => {
    expect(await verifyPin('0000', undefined)).toBe(false);
    expect(await verifyPin('0000', 'scrypt$oops')).toBe(false);
  });

  it('uses a fresh salt for each hash', async () => {
    expect(await hashPin('2468', { N: 1024 })).not.toBe(await hashPin('2468', { N: 1024 }));
  });
});
