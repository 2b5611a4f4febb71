/** Every bench by name (`npm run bench -- <name>`). Each area's figures live in their own file; add yours here. */
import type { BenchOptions } from './run.js';
import { benchSpine } from './spine.js';
import { benchFieldbus } from './fieldbus.js';
import { benchModem } from './modem.js';
import { benchMqtt } from './mqtt.js';
import { benchFleet } from './fleet.js';
import { benchLedLink } from './led-link.js';
import { benchConsole } from './console.js';
import { benchScreen } from './screen.js';
import { benchViewer } from './viewer.js';
import { benchService } from './service.js';
import { benchOnbon } from './onbon.js';
import { benchUpdate } from './update.js';
import { benchOpsAlertsInbox } from './ops-alerts-inbox.js';
import { benchOpsLibs } from './ops-libs.js';
import { benchOpsConsole } from './ops-console.js';

export const BENCHES: Record<string, (o: BenchOptions) => Promise<void>> = {
  spine: benchSpine,
  fieldbus: benchFieldbus,
  modem: benchModem,
  mqtt: benchMqtt,
  fleet: benchFleet,
  'led-link': benchLedLink,
  console: benchConsole,
  screen: benchScreen,
  viewer: benchViewer,
  service: benchService,
  onbon: benchOnbon,
  update: benchUpdate,
  'ops-alerts-inbox': benchOpsAlertsInbox,
  'ops-libs': benchOpsLibs,
  'ops-console': benchOpsConsole,
};
