/**
 * A modem on a serial pair for tests: the simulated RM500Q on the device end, SerialLink +
 * AtChannel + ModemMachine on the host end, with the timing table scaled. PTY pairs (socat) by
 * default, in-process pairs for unit tests.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BindingInterface } from '@serialport/bindings-interface';
import { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import { SerialLink } from '../../device/serial/serial-link.js';
import { AtChannel } from '../../device/modem/at-channel.js';
import { ModemMachine, type StateChange } from '../../device/modem/modem-machine.js';
import type { HostPathOptions } from '../../device/modem/modem-core.js';
import { QUECTEL_RM5XX } from '../../device/modem/quectel-profile.js';
import { commandTimeout, scaleTiming, type ModemTiming } from '../../device/modem/timing.js';
import { InProcessPair } from '../../simulator/serial/in-process-pair.js';
import { PtyPair } from '../../simulator/serial/pty-pair.js';
import type { SerialPair } from '../../simulator/serial/serial-pair.js';
import { SimModem } from '../../simulator/devices/modem.js';
import type { NetworkGate } from '../../simulator/devices/modem-network.js';
import { testLogger } from './logger.js';

export interface ModemRig {
  pair: SerialPair;
  dir: string;
  sim: SimModem;
  serial: SerialLink;
  channel: AtChannel;
  machine: ModemMachine;
  timing: ModemTiming;
  states: StateChange[];
  stop(): Promise<void>;
}

export interface ModemRigOptions {
  pty?: boolean;
  scale?: number;
  simScale?: number;
  simPin?: string;
  network?: NetworkGate | null;
  overrides?: Partial<Omit<ModemTiming, 'commandTimeoutsMs'>>;
  startMachine?: boolean;
  /** The host data path (unit tests give a reader of their own). */
  host?: HostPathOptions;
}

export async function modemRig(o: ModemRigOptions = {}): Promise<ModemRig> {
  const log = testLogger();
  const dir = mkdtempSync(join(tmpdir(), 'sp-modem-'));
  const hub = o.pty ? null : new InProcessSerialHub();
  const pair: SerialPair = hub ? new InProcessPair('modem', dir, hub) : new PtyPair('modem', dir);
  await pair.start();
  const sim = new SimModem({ pair, logger: log, timeScale: o.simScale ?? 0.02, powerFile: join(dir, 'modem.power'), network: o.network ?? null });
  sim.start();
  const timing = scaleTiming({ scale: o.scale ?? 0.05, floorMs: 1000, overrides: o.overrides });
  const serial = new SerialLink({ path: pair.hostPath, baudRate: 115200, name: 'modem', logger: log, binding: pair.binding as BindingInterface, backoff: { initialMs: 50, maxMs: 300 } });
  const channel = new AtChannel({ port: serial, logger: log, timeoutFor: (c) => commandTimeout(timing.commandTimeoutsMs, c), settleMs: timing.settleMs });
  const machine = new ModemMachine({
    port: serial, channel, profile: QUECTEL_RM5XX, timing, logger: log, simPin: o.simPin, host: o.host,
    data: { cid: 1, apn: 'cmnet', contextType: 3, user: '', password: '', auth: 0 },
  });
  const states: StateChange[] = [];
  machine.on('state', (s) => states.push(s));
  if (o.startMachine !== false) machine.start();
  serial.start();
  return {
    pair, dir, sim, serial, channel, machine, timing, states,
    async stop() {
      machine.stop();
      channel.close();
      await serial.stop();
      await sim.stop();
      await pair.stop();
    },
  };
}
