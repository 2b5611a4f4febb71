/**
 * The whole simulated pole in this process (startSim: embedded broker, LED board and modem on
 * real PTYs, the runtime), with the modem's timing table scaled down, and what the modem tests
 * need: fault injection through the same SimDevice faults /api/faults runs, the state sequence
 * and the recovery steps taken, and a check that the rest of the pole still works.
 */
import { noticeOnScreen } from '../../display/page-model.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startSim, type Sim } from '../../simulator/sim.js';
import type { Pole } from '../../runtime/pole.js';
import type { ModemService } from '../../runtime/modem/modem-service.js';
import type { StateChange } from '../../device/modem/modem-machine.js';
import { loadSigningKey } from '../../ops/keys.js';
import { sealEnvelope } from '../../protocols/envelope.js';
import { isoWithOffset } from '../../protocols/time.js';
import { testLogger } from './logger.js';
import { until } from './sim-process.js';

export interface ModemSim {
  sim: Sim;
  pole: Pole;
  modem: ModemService;
  /** States entered since the last mark(). */
  states: string[];
  changes: StateChange[];
  /** Recovery steps started since the last mark(), and the problem each one addressed. */
  steps: string[];
  stepProblems: string[];
  fault(name: string, args?: Record<string, unknown>): Promise<void>;
  waitState(state: string, timeoutMs?: number): Promise<void>;
  mark(): void;
  /** A signed notice handed to the pole reaches the LED board (the screen works without the modem). */
  screenStillWorks(title: string): Promise<void>;
  stop(): Promise<void>;
}

/** Fast timing for tests: the production table × `scale`, a few entries shorter still. */
export const TEST_MODEM_TIMING = { stableMs: 1000, registrationTimeoutMs: 2500, dataStallMs: 1500, absentTimeoutMs: 1500 };

export async function startModemSim(o: { scale?: number; timing?: Record<string, number> } = {}): Promise<ModemSim> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-modem-sim-'));
  const sim = await startSim({
    dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger: testLogger(),
    modemTimeScale: o.scale ?? 0.05, modemTiming: { ...TEST_MODEM_TIMING, ...o.timing },
  });
  const pole = sim.pole!;
  const modem = pole.services.modem.service!;
  const states: string[] = [];
  const changes: StateChange[] = [];
  const steps: string[] = [];
  const stepProblems: string[] = [];
  modem.on('state', (c) => { states.push(c.to); changes.push(c); });
  modem.on('step', (p) => { steps.push(p.step); stepProblems.push(p.problem); });
  const key = loadSigningKey(sim.info.keyFile);
  let n = 0;
  const r: ModemSim = {
    sim, pole, modem, states, changes, steps, stepProblems,
    fault: async (name, args = {}) => sim.devices.get('modem')!.faults[name]!.run(args),
    waitState: (state, timeoutMs = 15_000) => until(() => modem.state === state, timeoutMs, `modem ${state} (now ${modem.state}; states ${states.join(' → ')})`).then(() => undefined),
    mark: () => { states.length = 0; changes.length = 0; steps.length = 0; stepProblems.length = 0; },
    async screenStillWorks(title) {
      const id = `modem-test-${++n}`;
      const payload = { type: 'notice', audience: 'all', id, version: 1, issuedAt: isoWithOffset(Date.now()), priority: 'emergency', title: { zh: title }, body: { zh: '调制解调器故障期间的屏幕测试。' }, expiresAt: isoWithOffset(Date.now() + 600_000) };
      const presents = sim.board.stats.presents;
      pole.services.notices.intake.handle(`smartpole/v1/notices/all/${id}`, { scope: 'all' }, id, Buffer.from(JSON.stringify(sealEnvelope(payload, key.kid, key.privateKey))));
      await until(() => noticeOnScreen(pole.page())?.id === id && sim.board.stats.presents > presents, 10_000, 'the board to present the notice');
      expect(pole.services.led.board?.link.state).toBe('ready');
    },
    stop: () => sim.stop(),
  };
  await r.waitState('online', 20_000);
  await until(() => pole.services.uplink.mqtt.connected, 10_000, 'MQTT connected through the modem');
  r.mark();
  return r;
}

/** `expected` appears in `actual` in order (other entries may sit between). */
export function expectInOrder(actual: string[], expected: string[]): void {
  let i = 0;
  for (const a of actual) if (a === expected[i]) i++;
  expect(i, `expected ${expected.join(' → ')} in order within ${actual.join(' → ')}`).toBe(expected.length);
}
