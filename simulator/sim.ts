/**
 * `smartpole sim`: the whole pole on one machine — embedded broker (or an existing one), simulated
 * hardware on socat PTY pairs (in-process pairs where socat is missing), the runtime wired to
 * them, and the web viewer. stop() tears everything down and leaves no process or PTY behind.
 */
import { randomBytes } from 'node:crypto';
import { splitUrls } from '../runtime/uplink/broker-list.js';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { Logger } from 'pino';
import { InProcessSerialHub } from '../device/serial/in-process-binding.js';
import { loadConfigFile, parseConfig, type ConfigInput } from '../runtime/config/load.js';
import type { LogRing } from '../runtime/logger.js';
import { startPole, type Pole } from '../runtime/pole.js';
import { packageRoot } from '../runtime/version.js';
import { ensureSimKeys } from './role-keys.js';
import { writeSimInfo, removeSimInfo, type SimInfo } from '../ops/sim-discovery.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './broker.js';
import { PtyPair } from './serial/pty-pair.js';
import { InProcessPair } from './serial/in-process-pair.js';
import type { SerialPair } from './serial/serial-pair.js';
import { SimLedBoard } from './devices/led-board.js';
import { SimOnbonCard } from './devices/onbon-card.js';
import { onbonCardFaults } from './devices/onbon-card-faults.js';
import { SimFieldBus } from './devices/fieldbus/sim-fieldbus.js';
import { SimModem } from './devices/modem.js';
import { NetworkGate } from './devices/modem-network.js';
import { HostNetns, netnsError } from './devices/modem-netns.js';
import type { DataPathGate } from './devices/modem.js';
import { startRuntimeInNetns, type NetnsRuntime } from './netns-runtime.js';
import { modemDevice } from './devices/modem-device.js';
import { cableFaults, type SimDevice } from './devices/sim-device.js';
import { DEV_CONSOLE_PIN, simTouchCalibration, simPoleConfig, type SimConsoleOverrides } from './pole-config.js';
import { ledBoardFaults } from './devices/led-board-faults.js';
import { SimTouchPanel } from './devices/touch-panel.js';
import { SimCityFeed } from './city-feed.js';
import { SAMPLE_DIR } from './sample-data.js';
import { startHttpServer, type SimHttpServer } from './http/server.js';
import { registerApi } from './http/api.js';
import { startViewer } from './viewer/viewer.js';
import { brokerDevice } from './devices/broker-device.js';

/** Half-duplex LED line: quiet time before either side may drive the pair (board and runtime alike). */
const SIM_LED_TURNAROUND_MS = 2;
/** The simulated notice sign: a 160×32 red/green BX-5E2 at 9600 baud, two 16-px rows. */
export const SIM_SIGN = { model: '5E2' as const, address: 1, width: 160, height: 32, colours: 'red-green' as const, baudRate: 9600 as const };

export interface SimOptions {
  dataDir: string;
  poleId?: string;
  /** Use this broker instead of starting the embedded one. */
  mqttUrl?: string;
  mqttPort?: number;
  httpPort?: number;
  ptyDir?: string;
  /** Force in-process serial pairs even if socat exists. */
  inProcessSerial?: boolean;
  /** Start only the hardware, broker and viewer; a runtime is started separately (`smartpole run`). */
  hardwareOnly?: boolean;
  linkRate?: number;
  /**
   * The LED line: 'full' (USB CDC, 4-wire; default) or 'half' (2-wire RS-485: the board and the
   * runtime's `led.duplex` both take turns on the line; docs/protocols/led-link.md §5.5).
   */
  ledDuplex?: 'full' | 'half';
  /** Panel resolution the board, the touch glass and the runtime use (default 480×800). */
  screen?: { width: number; height: number };
  /** Field-bus line speed (default 9600); the simulated bus emulates its wire time. */
  fieldBusBaud?: number;
  /** Simulated seconds per second for charging physics (default 1). */
  timeScale?: number;
  /** Adjusts the pole config before it is written (tests and benches: poll rates, free vend …). */
  patchConfig?: (c: ConfigInput) => void;
  /** Fit the simulated Onbon notice sign (default true) as the pole's devices.sign. */
  sign?: boolean;
  /** Fit the simulated 5G modem (default true): the pole's MQTT then runs over its data path. */
  modem?: boolean;
  /** Time scale of the simulated modem and of the pole's modem timing table. Default 0.1. */
  modemTimeScale?: number;
  /**
   * `--netns`: the runtime runs in its own network namespace whose only way out is a veth pair
   * standing for the modem's USB network interface (DHCP from the simulated module; docs/simulator.md).
   * Needs root, iproute2, dnsmasq-base, dhcpcd-base and a built dist/.
   */
  netns?: boolean;
  /** Explicit entries of the pole's modem timing table (devices.modem.timing), for tests and benches. */
  modemTiming?: Record<string, number>;
  logger: Logger;
  logLevel?: 'debug' | 'info' | 'warn';
  say?: (m: string) => void;
  /** The logger's ring, so the console's `log tail` shows the runtime's lines. */
  logRing?: LogRing;
  /** Shorter console lockout/idle times for tests. */
  console?: SimConsoleOverrides;
}

export interface Sim {
  readonly info: SimInfo;
  readonly pole: Pole | null;
  readonly board: SimLedBoard;
  readonly touch: SimTouchPanel;
  readonly fieldBus: SimFieldBus;
  readonly modem: SimModem | null;
  /** `--netns`: the namespaces and the runtime process inside the pole's. */
  readonly netns: HostNetns | null;
  readonly runtime: NetnsRuntime | null;
  readonly sign: SimOnbonCard | null;
  readonly devices: Map<string, SimDevice>;
  readonly broker: EmbeddedBroker | null;
  readonly http: SimHttpServer;
  readonly configFile: string;
  /** Where a technician connects (`picocom -b 115200 <path>`), and the development PIN. */
  readonly console: { path: string; pin: string; attachable: boolean };
  stop(): Promise<void>;
}

export function socatAvailable(): boolean {
  return spawnSync('socat', ['-V'], { stdio: 'ignore' }).status === 0;
}

function lockPtyDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'sim.pid');
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, 'utf8'));
    let alive = false;
    try { process.kill(pid, 0); alive = pid !== process.pid; } catch { /* stale */ }
    if (alive) throw new Error(`another smartpole sim (pid ${pid}) uses ${dir}; stop it or pass --pty-dir`);
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

export async function startSim(o: SimOptions): Promise<Sim> {
  const say = o.say ?? (() => {});
  const log = o.logger;
  const poleId = o.poleId ?? 'WH-JA-0001';
  const dataDir = resolve(o.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const ptyDir = resolve(o.ptyDir ?? join(tmpdir(), `smartpole-${userInfo().uid}`, poleId));
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => { for (const c of cleanups.reverse()) { try { await c(); } catch (e) { log.warn({ err: (e as Error).message }, 'cleanup step failed'); } } };

  try {
    cleanups.push(lockPtyDir(ptyDir));
    const simKeys = ensureSimKeys(dataDir);
    const { file: keyFile, key: devKey, created } = simKeys.dev;
    if (created) say(`created development signing key ${devKey.kid} in ${keyFile} (role keys and the root key beside it)`);

    let broker: EmbeddedBroker | null = null;
    let mqttUrl = o.mqttUrl;
    if (!mqttUrl) {
      broker = await startEmbeddedBroker({ port: o.mqttPort ?? 1883, logger: log, say });
      cleanups.push(() => broker!.close());
      mqttUrl = broker.url;
    }

    const useSocat = !o.inProcessSerial && socatAvailable();
    if (!useSocat && !o.inProcessSerial) say('socat not found: simulated devices use in-process serial links (install socat for real PTYs).');
    const hub = useSocat ? null : new InProcessSerialHub();
    const makePair = (name: string): SerialPair => (hub ? new InProcessPair(name, ptyDir, hub) : new PtyPair(name, ptyDir));

    // socat needs tens of milliseconds to create each pair's links: start them all at once
    // (startup to first frame).
    const ledPair = makePair('led');
    const fbPair = makePair('fieldbus');
    const consolePair = makePair('console');
    const touchPair = makePair('touch');
    const modemPair = o.modem === false ? null : makePair('modem');
    const signPair = o.sign === false ? null : makePair('sign');
    const starts = await Promise.allSettled([ledPair, fbPair, consolePair, touchPair, modemPair, signPair].filter((p) => p !== null)
      .map(async (p) => { await p.start(); cleanups.push(() => p.stop()); }));
    const failed = starts.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    const linkRate = o.linkRate ?? 1_000_000;
    const { width, height } = o.screen ?? { width: 480, height: 800 };
    const ledDuplex = o.ledDuplex ?? 'full';
    const board = new SimLedBoard({ pair: ledPair, width, height, linkRate, logger: log, ...(ledDuplex === 'half' ? { halfDuplex: { turnaroundMs: SIM_LED_TURNAROUND_MS } } : {}) });
    board.start();
    cleanups.push(() => board.stop());

    const devices = new Map<string, SimDevice>();
    devices.set('led', {
      name: 'led', kind: 'LED screen driver board', pair: ledPair, state: () => board.state(),
      faults: ledBoardFaults(board, ledPair),
    });

    // The notice sign beside the screen: an Onbon BX-5E2 card (docs/protocols/onbon.md §9).
    let sign: SimOnbonCard | null = null;
    if (signPair) {
      sign = new SimOnbonCard({ pair: signPair, logger: log, ...SIM_SIGN });
      sign.start();
      cleanups.push(() => sign!.stop());
      devices.set('sign', { name: 'sign', kind: `Onbon BX-${SIM_SIGN.model} notice sign card (RS-485, ${SIM_SIGN.baudRate} baud)`, pair: signPair, state: () => sign!.state(), faults: onbonCardFaults(sign, signPair) });
    }

    const fieldBusBaud = o.fieldBusBaud ?? 9600;
    const fieldBus = new SimFieldBus({ pair: fbPair, logger: log, baudRate: fieldBusBaud, timeScale: o.timeScale, stateDir: dataDir, location: { lat: 30.6043, lon: 114.3012 } });
    fieldBus.start();
    cleanups.push(() => fieldBus.stop());
    for (const dev of fieldBus.devices()) devices.set(dev.name, dev);

    // The service port: the runtime opens console.pole, the technician's terminal opens console.
    let pole: Pole | null = null;
    const connect = `picocom -b 115200 ${consolePair.devicePath}`;
    devices.set('console', {
      name: 'console', kind: 'technician console (service port, 115200 8N1)', pair: consolePair,
      state: () => ({ connect, terminalPath: consolePair.devicePath, devPin: DEV_CONSOLE_PIN, ...(pole?.services.console.service?.health() ?? { status: 'absent' }) }),
      faults: cableFaults(consolePair),
    });

    const touch = new SimTouchPanel({ pair: touchPair, width, height, calibration: simTouchCalibration(width, height), logger: log });
    touch.start();
    cleanups.push(() => touch.stop());
    devices.set('touch', {
      name: 'touch', kind: 'eGalax/EETI serial touch controller', pair: touchPair, state: () => touch.state(),
      faults: {
        ...cableFaults(touchPair),
        garbage: { describe: 'send line noise (args.bytes, default 32): bytes the driver must drop', run: (a) => touch.garbage(typeof a.bytes === 'number' ? Math.max(1, Math.min(4096, a.bytes)) : 32) },
      },
    });

    // The modem: the pole reaches the broker only through its simulated data path.
    let modem: SimModem | null = null;
    let poleMqttUrl = mqttUrl;
    const modemScale = o.modemTimeScale ?? 0.1;
    let netns: HostNetns | null = null;
    if (o.netns && !modemPair) throw netnsError('needs the simulated modem (drop --no-modem)');
    if (modemPair) {
      const urls = splitUrls(mqttUrl);
      let gate: DataPathGate | null = null;
      if (o.netns) {
        if (urls.length !== 1) throw netnsError('takes one broker, not a list');
        const up = new URL(mqttUrl);
        if (up.protocol !== 'mqtt:' && up.protocol !== 'tcp:') throw netnsError(`needs a plain mqtt:// broker, not ${up.protocol}`);
        const ns = new HostNetns({ dir: ptyDir, brokerHost: up.hostname, brokerPort: Number(up.port || 1883), logger: log });
        netns = ns;
        cleanups.push(() => ns.stop());
        await ns.start();
        gate = ns;
        poleMqttUrl = ns.mqttUrl;
        say(`network namespace ${ns.poleNs}: the pole's only way out is ${ns.iface} (the modem's USB interface), DHCP from the simulated module`);
      } else {
        // One relay per broker (several with `--mqtt-url a,b,c`): the modem's data path opens and cuts them all.
        const relays: NetworkGate[] = [];
        const poleUrls: string[] = [];
        for (const url of urls) {
          const up = new URL(url);
          if (up.protocol !== 'mqtt:' && up.protocol !== 'tcp:') {
            say(`the modem's data path is not simulated for ${up.protocol} brokers: the pole connects directly`);
            poleUrls.push(url);
            continue;
          }
          const relay = new NetworkGate({ upstreamHost: up.hostname, upstreamPort: Number(up.port || 1883), logger: log });
          await relay.start();
          cleanups.push(() => relay.stop());
          relays.push(relay);
          poleUrls.push(relay.url);
        }
        poleMqttUrl = poleUrls.join(',');
        gate = relays.length ? { setUp: (on: boolean) => { for (const g of relays) g.setUp(on); } } : null;
      }
      modem = new SimModem({ pair: modemPair, logger: log, network: gate, timeScale: modemScale, powerFile: join(ptyDir, 'modem.power') });
      modem.start();
      cleanups.push(() => modem!.stop());
      devices.set('modem', modemDevice(modem, modemPair));
    }

    const poleDataDir = join(dataDir, 'pole');
    const cfgInput = simPoleConfig({
      poleId, mqttUrl: poleMqttUrl, dataDir: poleDataDir, devKey, roleKeys: simKeys.roles, rootKey: simKeys.root.key, paths: { led: ledPair.hostPath, console: consolePair.hostPath, modem: modemPair?.hostPath, touch: touchPair.hostPath, fieldBus: fbPair.hostPath, sign: signPair?.hostPath }, fieldBusBaud, sign: SIM_SIGN,
      linkRate, ledDuplex, ledTurnaroundMs: SIM_LED_TURNAROUND_MS, logLevel: o.logLevel ?? 'info', console: o.console, seedDataDir: SAMPLE_DIR, screen: { width, height },
      modem: modemPair ? { powerFile: join(ptyDir, 'modem.power'), powerScript: join(packageRoot(), 'scripts', 'modem-power-cycle.sh'), timeScale: modemScale, timing: o.modemTiming, hostInterface: netns?.iface } : undefined,
    });
    o.patchConfig?.(cfgInput);
    const configFile = join(dataDir, 'pole.yaml');
    writeFileSync(configFile, `# Written by smartpole sim for its simulated pole; \`smartpole run --config ${configFile}\` runs it.\n` + toYaml(cfgInput));
    const config = parseConfig(cfgInput, dataDir, configFile);

    const binding = hub ? (hub.binding as never) : undefined;
    let restarting = false;
    // `reboot` on the console: stop the runtime, read the config file again, start it anew.
    const restart = (reason: string): void => {
      if (restarting || !pole) return;
      restarting = true;
      log.warn({ reason }, 'restarting the runtime');
      void (async () => {
        await pole?.stop();
        let next = config;
        try { next = loadConfigFile(configFile); } catch (e) { log.error({ err: (e as Error).message }, 'config file does not load; restarting with the previous config'); }
        pole = await startPole({ config: next, logger: log, binding, configFile, logRing: o.logRing, restart });
        apiDeps.pole = pole;
        restarting = false;
      })().catch((e: Error) => { restarting = false; log.error({ err: e.stack }, 'runtime restart failed'); });
    };
    let runtime: NetnsRuntime | null = null;
    if (netns && !o.hardwareOnly) {
      const rt = startRuntimeInNetns(netns, configFile, join(dataDir, 'logs'), log);
      runtime = rt;
      cleanups.push(() => rt.stop());
    } else if (!o.hardwareOnly) {
      pole = await startPole({ config, logger: log, binding, configFile, logRing: o.logRing, restart });
      cleanups.push(() => pole?.stop());
      // Live transit arrivals and weather, as the city's feeds would send them (never over city data);
      // it follows the runtime across a console `reboot`.
      const feed = new SimCityFeed(() => pole?.services.data.datasets ?? null, { timeZone: config.pole.timezone });
      feed.start();
      cleanups.push(() => feed.stop());
    }

    // Per-run token for everything that changes state or signs (simulator/http/guard.ts); in sim.json (0600).
    const token = randomBytes(24).toString('base64url');
    const http = await startHttpServer({ port: o.httpPort ?? 8080, webRoot: join(packageRoot(), 'simulator', 'web'), logger: log, say, token });
    cleanups.push(() => http.close());

    const info: SimInfo = {
      pid: process.pid, poleId, mqttUrl, httpUrl: http.url, topicPrefix: config.mqtt.topicPrefix, keyFile, dataDir, ptyDir, startedAt: new Date().toISOString(), token,
    };
    if (broker) devices.set('broker', brokerDevice(broker));
    // The web viewer: live screen, touch, devices, faults, ops pushes, event log.
    const viewer = startViewer({
      http, info, board, touch, devices, pole: () => pole, broker, capDir: join(packageRoot(), 'docs', 'examples', 'cap'), logger: log, width, height,
    });
    cleanups.push(() => viewer.stop());
    const apiDeps = { http, info, board, sign, touch, devices, pole, broker, serial: useSocat ? 'pty' as const : 'in-process' as const, width, height, onFault: viewer.faultInjected };
    registerApi(apiDeps);
    board.on('presented', (p) => http.broadcast({ type: 'presented', frameId: p.frameId }));
    writeSimInfo(info);
    cleanups.push(() => removeSimInfo(info));

    let stopped = false;
    return {
      info, board, touch, modem, netns, runtime, sign, fieldBus, devices, broker, http, configFile,
      get pole() { return pole; },
      console: { path: consolePair.devicePath, pin: DEV_CONSOLE_PIN, attachable: useSocat },
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
