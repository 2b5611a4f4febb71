/**
 * The console's command tree, assembled from one file per area (docs/console.md §Commands), and the
 * selftest checks in the order they run. Adding a device's commands = one module file + one line here.
 */
import type { ConsoleCommand } from '../command-tree.js';
import type { ConsoleEnv } from '../env.js';
import type { SelfCheck } from '../selftest.js';
import { chargerModule } from './charger.js';
import { configModule } from './config.js';
import { lampModule } from './lamp.js';
import { ledModule } from './led.js';
import { logModule } from './log.js';
import { modemModule } from './modem.js';
import type { ConsoleModule } from './module.js';
import { mqttModule } from './mqtt.js';
import { noticesModule } from './notices.js';
import { outboxModule } from './outbox.js';
import { padsModule } from './pads.js';
import { rebootModule } from './reboot.js';
import { selftestModule } from './selftest.js';
import { colorModule, helpModule, loginModule, logoutModule } from './session.js';
import { statusModule } from './status.js';
import { clockCheck, configCheck, consoleCheck, mqttCheck, runtimeCheck, storageCheck, trustCheck } from './system-checks.js';
import { timeModule } from './time.js';
import { touchModule } from './touch.js';
import { signModule } from './sign.js';

export interface ConsoleTree {
  roots: ConsoleCommand[];
  checks: SelfCheck[];
}

export function buildConsoleTree(env: () => ConsoleEnv | null): ConsoleTree {
  const tree: ConsoleTree = { roots: [], checks: [] };
  const devices: ConsoleModule[] = [ledModule(env), signModule, touchModule, modemModule, lampModule, chargerModule, padsModule];
  const modules: ConsoleModule[] = [
    statusModule, selftestModule(() => tree.checks), ...devices, mqttModule, noticesModule, outboxModule, logModule,
    configModule(env), timeModule, rebootModule, colorModule, loginModule, logoutModule, helpModule(() => tree.roots),
  ];
  tree.roots = modules.map((m) => m.command);
  tree.checks = [...devices.flatMap((m) => m.checks ?? []), mqttCheck, storageCheck, clockCheck, configCheck, trustCheck, consoleCheck, runtimeCheck];
  return tree;
}
