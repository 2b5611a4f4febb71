/** `smartpole devices [--config FILE] [--json]`: the serial devices and which config entry uses each. */
import { parseArgs } from 'node:util';
import { loadConfigFile } from '../config/load.js';
import { scanSerialDevices, type SerialDevice } from './serial-devices.js';

const USAGE = `usage: smartpole devices [--config FILE] [--json]
  Lists serial devices with USB vendor:product, interface and serial number, their stable names
  (/dev/serial/by-id, by-path, /dev/smartpole) and the config entry that uses each.`;

function describe(d: SerialDevice): string {
  const u = d.usb;
  const usb = u ? `usb ${u.vendorId}:${u.productId}${u.interface ? ` if${u.interface}` : ''}${u.serial ? ` serial ${u.serial}` : ''}${u.product ? ` (${[u.manufacturer, u.product].filter(Boolean).join(' ')})` : ''}` : 'on-board';
  const lines = [`${d.node}  ${usb}${d.config.length ? `  ← ${d.config.join(', ')}` : ''}`];
  for (const n of d.names) lines.push(`    ${n}`);
  return lines.join('\n');
}

export function devicesMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  let v;
  try {
    v = parseArgs({ args: argv, options: { config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, root: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    err(`smartpole devices: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (v.help) { out(USAGE); return 0; }
  let config = null;
  if (v.config) {
    try { config = loadConfigFile(v.config); } catch (e) { err(`smartpole devices: ${(e as Error).message}`); return 1; }
  }
  // --root DIR: scan DIR/dev and DIR/sys instead (a copy of a pole's tree, and the tests).
  const r = scanSerialDevices(config, v.root ? { dev: `${v.root}/dev`, sys: `${v.root}/sys` } : undefined);
  if (v.json) { out(JSON.stringify(r, null, 2)); return 0; }
  out(r.devices.length ? r.devices.map(describe).join('\n') : 'no serial devices found');
  for (const u of r.unmatched) out(`${u.entry}: ${u.path} is not among them`);
  return r.unmatched.length ? 1 : 0;
}
