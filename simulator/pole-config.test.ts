import { describe, expect, it } from 'vitest';
import { verifyPin } from '../runtime/console/pin.js';
import { DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH } from './pole-config.js';

describe('simulated pole config', () => {
  it('the documented development PIN matches the console PIN hash the sim configures', async () => {
    expect(await verifyPin(DEV_CONSOLE_PIN, DEV_CONSOLE_PIN_HASH)).toBe(true);
    expect(await verifyPin('000000', DEV_CONSOLE_PIN_HASH)).toBe(false);
  });
});
