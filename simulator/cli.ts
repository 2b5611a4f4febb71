/** `smartpole sim [flags]`: parse flags, start the simulator, print where everything is, stop on Ctrl-C. */
import { mkdirSync, createWriteStream } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { createLogger, LogRing } from '../runtime/logger.js';
import { DEFAULT_DATA_DIR } from '../ops/sim-discovery.js';
import { startSim } from './sim.js';
import { packageRoot } from '../runtime/version.js';
import { runServe, type ServeRun } from '../ops/serve/cli.js';

export const SIM_USAGE = `usage: smartpole sim [flags]
  --mqtt-port N       embedded broker port (default 1883; 0 = any free port)
  --http-port N       web viewer port (default 8080; 0 = any free port)
  --mqtt-url URL[,URL…]  use an existing broker (or a cluster's nodes, failover in that order) instead of the embedded one
  --data-dir DIR      keys, database and logs (default ./.smartpole)
  --pty-dir DIR       where the simulated serial devices appear (default $TMPDIR/smartpole-$UID/<pole>)
  --pole-id ID        default WH-JA-0001
  --screen WxH        panel resolution in pixels (default 480x800, portrait)
  --link-rate BYTES   LED link bytes/s (default 1000000 = USB CDC; 92160 ≈ 921600 baud)
  --led-duplex MODE   LED line: full (default; USB CDC / 4-wire) or half (2-wire RS-485 turns, board and runtime)
  --fieldbus-baud N   RS-485 field bus baud rate (default 9600; wire time is emulated)
  --time-scale N      charging physics run N× faster (default 1)
  --hardware-only     no runtime: run it yourself with smartpole run --config <data-dir>/pole.yaml
  --in-process-serial no socat: devices use in-process links
  --no-modem          no simulated 5G modem: the pole connects to the broker directly
  --netns             run the runtime in its own network namespace whose only way out is the simulated
                      modem's USB network interface (veth + DHCP); needs root, iproute2, dnsmasq-base,
                      dhcpcd-base (docs/simulator.md)
  --ops               start the operations console beside the pole (smartpole ops serve; docs/ops-console.md):
                      administrator "admin", password in <data-dir>/ops-admin-password
  --ops-port N        the console's web port (default 8090; 0 = any free port)
  --verbose           JSON logs on stdout too (always in <data-dir>/logs/sim.log)`;

export async function simMain(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv, strict: true, options: {
        'mqtt-port': { type: 'string' }, 'http-port': { type: 'string' }, 'mqtt-url': { type: 'string' }, 'data-dir': { type: 'string' },
        'pty-dir': { type: 'string' }, 'pole-id': { type: 'string' }, 'link-rate': { type: 'string' }, 'led-duplex': { type: 'string' }, 'hardware-only': { type: 'boolean' },
        'fieldbus-baud': { type: 'string' }, 'time-scale': { type: 'string' }, screen: { type: 'string' },
        'in-process-serial': { type: 'boolean' }, 'no-modem': { type: 'boolean' }, netns: { type: 'boolean' }, verbose: { type: 'boolean' }, ops: { type: 'boolean' }, 'ops-port': { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`smartpole sim: ${(e as Error).message}\n${SIM_USAGE}`);
    return 2;
  }
  if (v.help) { console.log(SIM_USAGE); return 0; }
  const port = (s: string | undefined, name: string, dflt: number): number => {
    if (s === undefined) return dflt;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--${name} must be a port number 0–65535`);
    return n;
  };
  const positive = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`);
    return n;
  };
  const duplex = v['led-duplex'] ?? 'full';
  if (duplex !== 'full' && duplex !== 'half') {
    console.error(`smartpole sim: --led-duplex must be full or half\n${SIM_USAGE}`);
    return 2;
  }
  const dataDir = resolve(v['data-dir'] ?? DEFAULT_DATA_DIR);
  mkdirSync(join(dataDir, 'logs'), { recursive: true });
  const logFile = createWriteStream(join(dataDir, 'logs', 'sim.log'), { flags: 'a' });
  const streams = [{ stream: logFile, level: 'debug' as const }];
  if (v.verbose) streams.push({ stream: process.stdout as never, level: 'debug' as const });
  const logRing = new LogRing();
  const logger = createLogger({ level: v.verbose ? 'debug' : 'info', destination: pino.multistream(streams), ring: logRing });
  const say = (m: string) => console.log(m);
  let sim;
  try {
    sim = await startSim({
      dataDir, logger, say, poleId: v['pole-id'], mqttUrl: v['mqtt-url'], ptyDir: v['pty-dir'],
      mqttPort: port(v['mqtt-port'], 'mqtt-port', 1883), httpPort: port(v['http-port'], 'http-port', 8080),
      hardwareOnly: v['hardware-only'], inProcessSerial: v['in-process-serial'], modem: !v['no-modem'], netns: v.netns,
      linkRate: v['link-rate'] ? Number(v['link-rate']) : undefined, ledDuplex: duplex, logRing,
      fieldBusBaud: positive(v['fieldbus-baud'], 'fieldbus-baud'), timeScale: positive(v['time-scale'], 'time-scale'), screen: screenSize(v.screen),
    });
  } catch (e) {
    console.error(`smartpole sim: ${(e as Error).message}`);
    return 1;
  }
  const i = sim.info;
  const me = selfCommand();
  let ops: ServeRun | null = null;
  if (v.ops) {
    try {
      ops = await runServe(['--data-dir', dataDir, '--http-port', String(port(v['ops-port'], 'ops-port', 8090)), '--init-admin', 'admin'], say, logger);
    } catch (e) {
      console.error(`smartpole sim: the ops console did not start: ${(e as Error).message}`);
      await sim.stop();
      return 1;
    }
  }
  const example = relativeToCwd(join(packageRoot(), 'docs', 'examples', 'notice.json'));
  say([
    '',
    `smartpole sim — pole ${i.poleId} is running`,
    `  web viewer   ${i.httpUrl}`,
    ...(ops ? [`  ops console  ${ops.serve.url}  (user admin, password: cat ${join(dataDir, 'ops-admin-password')})`] : []),
    `  MQTT broker  ${i.mqttUrl}${sim.broker ? ' (embedded)' : ''}`,
    `  dev key      ${i.keyFile}`,
    `  devices      ${i.ptyDir}  (${[...sim.devices.values()].map((d) => d.name).join(', ')})`,
    sim.console.attachable
      ? `  console      picocom -b 115200 ${sim.console.path}   (development PIN ${sim.console.pin})`
      : `  console      in-process only (install socat to attach a terminal)`,
    `  config       ${sim.configFile}${sim.pole || sim.runtime ? '' : `  ← start the runtime: ${me} run --config ` + sim.configFile}`,
    ...(sim.runtime && sim.netns ? [`  runtime      pid ${sim.runtime.pid} in namespace ${sim.netns.poleNs} (ip netns exec ${sim.netns.poleNs} …), log ${sim.runtime.logFile}`] : []),
    `  logs         ${join(dataDir, 'logs', 'sim.log')}`,
    '',
    `Push a notice:  ${me} ops notice push --file ${example}`,
    'Stop:           Ctrl-C',
    '',
  ].join('\n'));
  await new Promise<void>((resolveStop) => {
    let stopping = false;
    const stop = () => {
      if (stopping) { console.error('forced exit'); process.exit(130); }
      stopping = true;
      say('stopping…');
      (ops ? ops.stop() : Promise.resolve()).catch(() => {}).then(() => sim.stop()).then(() => resolveStop(), () => resolveStop());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  logFile.end();
  return 0;
}

/**
 * How the person at this terminal runs this command again: `smartpole` once it is on PATH (npm link,
 * a package install), else `node <this script>` — a newcomer copies the banner's lines as printed.
 */
function selfCommand(): string {
  const onPath = spawnSync('sh', ['-c', 'command -v smartpole'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return 'smartpole';
  return `node ${relativeToCwd(process.argv[1] ?? join(packageRoot(), 'dist', 'smartpole.js'))}`;
}

function relativeToCwd(path: string): string {
  const r = relative(process.cwd(), path);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : path;
}

/** `--screen 600x1024` → {width, height}; the board, the glass and the runtime all use it. */
function screenSize(s: string | undefined): { width: number; height: number } | undefined {
  if (s === undefined) return undefined;
  const m = /^(\d{3,4})x(\d{3,4})$/.exec(s);
  const width = Number(m?.[1]);
  const height = Number(m?.[2]);
  if (!m || width < 240 || height < 320 || width > 2160 || height > 3840) throw new Error('--screen must be WIDTHxHEIGHT in pixels, e.g. 480x800 (240x320 to 2160x3840)');
  return { width, height };
}
