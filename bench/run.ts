/**
 * `npm run bench [-- <name> …] [--quick] [--mqtt-url URL] [--minutes N]`: runs the benchmarks and prints
 * figures with the machine's details. Results also go to bench/results/<name>.json.
 * Each issue's figures live in their own file; add yours to BENCHES.
 */
import { parseArgs } from 'node:util';
import { printMachine } from './lib/machine.js';
import type { SampleSize } from './lib/sample.js';
import { benchSpine } from './spine.js';
import { benchFieldbus } from './fieldbus.js';
import { benchModem } from './modem.js';
import { benchMqtt } from './mqtt.js';
import { benchFleet } from './fleet.js';
import { benchLedLink } from './led-link.js';
import { benchConsole } from './console.js';
import { benchScreen } from './screen.js';
import { benchViewer } from './viewer.js';

export interface BenchOptions extends SampleSize {
  mqttUrl?: string;
  /** bench/fleet: number of poles */
  poles?: number;
  /** bench/fleet: databases on disk */
  fleetDisk?: boolean;
  /** bench/fleet: the same fleet on mosquitto, then on a three-node NATS cluster with a node killed */
  cluster?: boolean;
  /** bench/screen: minutes of random touching for the RSS figure */
  minutes?: number;
}

const BENCHES: Record<string, (o: BenchOptions) => Promise<void>> = {
  spine: benchSpine,
  fieldbus: benchFieldbus,
  modem: benchModem,
  mqtt: benchMqtt,
  fleet: benchFleet,
  'led-link': benchLedLink,
  console: benchConsole,
  screen: benchScreen,
  viewer: benchViewer,
};

const USAGE = `usage: npm run bench -- [bench …] [--quick] [--mqtt-url URL] [--poles N] [--fleet-disk] [--cluster] [--smoke] [--minutes N]
benches: ${Object.keys(BENCHES).join(', ')} (default: all)`;
let parsed;
try {
  parsed = parseArgs({ options: { quick: { type: 'boolean' }, 'mqtt-url': { type: 'string' }, poles: { type: 'string' }, 'fleet-disk': { type: 'boolean' }, cluster: { type: 'boolean' }, smoke: { type: 'boolean' }, minutes: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true });
} catch (e) {
  console.error(`${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { values, positionals } = parsed;
if (values.help) { console.log(USAGE); process.exit(0); }
const names = positionals.length ? positionals : Object.keys(BENCHES);
printMachine();
for (const n of names) {
  const b = BENCHES[n];
  if (!b) { console.error(`unknown bench "${n}" (have: ${Object.keys(BENCHES).join(', ')})`); process.exit(2); }
  await b({ mqttUrl: values['mqtt-url'], quick: values.quick, poles: values.poles ? Number(values.poles) : undefined, fleetDisk: values['fleet-disk'], cluster: values.cluster, smoke: values.smoke, minutes: values.minutes ? Number(values.minutes) : undefined });
}
process.exit(0);
