/** Starts the simulator in this process (real socat PTYs, embedded broker) for console tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import mqtt from 'mqtt';
import { createLogger, LogRing } from '../../runtime/logger.js';
import { startSim, type Sim } from '../../simulator/sim.js';
import type { SimConsoleOverrides } from '../../simulator/pole-config.js';

export interface ConsoleSim {
  sim: Sim;
  dir: string;
  /** Records the pole published on events and audit. */
  events: Record<string, unknown>[];
  audit: Record<string, unknown>[];
  watcher: mqtt.MqttClient;
  stop(): Promise<void>;
}

export async function startConsoleSim(console: SimConsoleOverrides = {}): Promise<ConsoleSim> {
  const dir = mkdtempSync(join(tmpdir(), 'sp-console-e2e-'));
  const ring = new LogRing();
  const level = (process.env.SMARTPOLE_TEST_LOG as 'debug' | 'info' | undefined) ?? 'info';
  const logger = createLogger({ level, destination: pino.destination({ dest: join(dir, 'test.log'), sync: false }), ring });
  // Without the simulated modem: these tests describe a pole whose modem is not fitted,
  // and MQTT then connects directly. test/e2e/modem.test.ts drives the console against the modem.
  const sim = await startSim({ dataDir: dir, ptyDir: join(dir, 'pty'), mqttPort: 0, httpPort: 0, logger, logRing: ring, console, modem: false });
  const watcher = await mqtt.connectAsync(sim.info.mqttUrl);
  const events: Record<string, unknown>[] = [];
  const audit: Record<string, unknown>[] = [];
  await watcher.subscribeAsync([`smartpole/v1/poles/${sim.info.poleId}/events`, `smartpole/v1/poles/${sim.info.poleId}/audit`], { qos: 1 });
  watcher.on('message', (t, p) => {
    const rec = JSON.parse(p.toString()) as Record<string, unknown>;
    (t.endsWith('/audit') ? audit : events).push(rec);
  });
  return {
    sim, dir, events, audit, watcher,
    async stop() {
      await watcher.endAsync();
      await sim.stop();
    },
  };
}
