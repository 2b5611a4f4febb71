/**
 * A simulated USB device unplugged while its socat pair is still starting (the runtime's
 * power-cycle hook and an operator's power-off racing, found by the chaos run: docs/chaos.md):
 * the start ends quietly with the cable out, instead of a rejected promise that nobody awaits —
 * which killed the whole simulator.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import { requireTool } from '../helpers/tools.js';

describe('PtyPair: unplug during start', () => {
  it('a start cut short by an unplug resolves, unplugged; the next replug works', async () => {
    requireTool('socat');
    const dir = mkdtempSync(join(tmpdir(), 'sp-pty-race-'));
    const pair = new PtyPair('modem', dir);
    try {
      for (let i = 0; i < 5; i++) {
        const starting = pair.replug();
        // socat needs some milliseconds to make its PTYs: pull the cable before it has.
        await new Promise((r) => setTimeout(r, i * 2));
        await pair.unplug();
        await expect(starting).resolves.toBeUndefined();
        expect(pair.plugged).toBe(false);
      }
      await pair.replug();
      expect(pair.plugged).toBe(true);
      expect(existsSync(pair.hostPath) && existsSync(pair.devicePath)).toBe(true);
    } finally {
      await pair.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
