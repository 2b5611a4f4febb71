/**
 * A whole pole for the chaos run (docs/chaos.md §The pole): mosquitto (persistent, so retained
 * notices and the observer's session survive a broker restart, as on a real broker), the simulated
 * hardware (`smartpole sim --hardware-only`), and `smartpole run` as its own process, restarted after
 * every exit the way systemd's `Restart=on-failure` would. The runtime's database lives on a small
 * tmpfs (the nearly-full-disk fault) and its wall clock is shifted by libfaketime (clock jumps).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { freePort, mosquittoOn, type BenchBroker } from '../bench/lib/mosquitto.js';
import { packageRoot } from '../runtime/version.js';
import { ClockShift } from './clock-shift.js';
import { SmallDisk } from './small-disk.js';

export const CLI = join(packageRoot(), 'dist', 'smartpole.js');
const PROBE = join(packageRoot(), 'dist', 'chaos', 'loop-probe.js');

export interface SimHandle {
  proc: ChildProcess;
  httpUrl: string;
  dataDir: string;
  ptyDir: string;
  token: string;
  output(): string;
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
}

export interface RuntimeExit { at: number; code: number | null; signal: string | null; expected: boolean; tail: string }

export class PoleRig {
  readonly work = mkdtempSync(join(tmpdir(), 'sp-chaos-'));
  broker!: BenchBroker;
  sim!: SimHandle;
  runtime: ChildProcess | null = null;
  readonly clock = new ClockShift(join(this.work, 'faketime'));
  disk!: SmallDisk;
  configFile = '';
  readonly exits: RuntimeExit[] = [];
  readonly probeFile = join(this.work, 'probe.jsonl');
  private stopping = false;
  private killed = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private tail = '';
  private log: WriteStream | null = null;
  /** systemd's RestartSec (packaging/smartpole.service). */
  restartSec = 5;

  async start(): Promise<void> {
    if (!existsSync(CLI)) throw new Error('dist/ is missing: run `npm run build` first');
    const mosqDir = join(this.work, 'mosquitto');
    mkdirSync(mosqDir);
    this.broker = mosquittoOn(await freePort(), ['persistence true', `persistence_location ${mosqDir}/`, 'autosave_interval 1']);
    await this.broker.start();
    this.sim = await startSim(join(this.work, 'sim'), ['--hardware-only', '--mqtt-url', this.broker.url, '--time-scale', '60']);
    this.disk = new SmallDisk(join(this.work, 'pole-data'), 64);
    this.disk.mount();
    this.configFile = writeChaosConfig(this.sim.dataDir, this.disk.dir);
    this.log = createWriteStream(join(this.work, 'runtime.log'));
    this.startRuntime();
  }

  /** The last lines the sim printed (a crash's stack). */
  simTail(): string[] {
    return this.sim.output().split('\n').filter((l) => !l.startsWith('{')).slice(-30);
  }

  /** What the pole's config says (the chaos copy). */
  config(): Record<string, unknown> {
    return parseYaml(readFileSync(this.configFile, 'utf8')) as Record<string, unknown>;
  }

  startRuntime(): void {
    this.killed = false;
    const env = { ...process.env, ...this.clock.env(), CHAOS_PROBE_FILE: this.probeFile };
    const p = spawn(process.execPath, ['--import', PROBE, CLI, 'run', '--config', this.configFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.runtime = p;
    const keep = (d: Buffer) => { this.log?.write(d); this.tail = (this.tail + d.toString()).slice(-4000); };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    p.once('exit', (code, signal) => {
      if (this.runtime === p) this.runtime = null;
      this.exits.push({ at: Date.now(), code, signal, expected: this.killed || this.stopping, tail: this.killed || this.stopping ? '' : this.tail });
      if (this.stopping) return;
      // systemd: Restart=on-failure, RestartSec=5; RestartPreventExitStatus=78 (bad config) would stay down.
      if (code === 78) return;
      this.restartTimer = setTimeout(() => { this.restartTimer = null; if (!this.stopping) this.startRuntime(); }, this.restartSec * 1000);
    });
  }

  async kill9(): Promise<void> {
    const p = this.runtime;
    if (!p) return;
    this.killed = true;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await gone;
  }

  runtimePid(): number | null {
    return this.runtime?.pid ?? null;
  }

  /** Stops the runtime orderly (SIGTERM), nothing restarts it. */
  async stopRuntime(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const p = this.runtime;
    if (!p) return;
    await new Promise((r) => { const t = setTimeout(() => p.kill('SIGKILL'), 15_000); p.once('exit', () => { clearTimeout(t); r(null); }); p.kill('SIGTERM'); });
  }

  async stop(): Promise<void> {
    await this.stopRuntime();
    await new Promise((r) => { if (this.sim.proc.exitCode !== null) return r(null); this.sim.proc.once('exit', r); this.sim.proc.kill('SIGINT'); });
    await this.broker.stop();
    this.disk.unmount();
    this.log?.end();
  }
}

async function startSim(dataDir: string, args: string[]): Promise<SimHandle> {
  mkdirSync(dataDir, { recursive: true });
  const ptyDir = join(dataDir, 'pty');
  const proc = spawn(process.execPath, [CLI, 'sim', '--http-port', '0', '--data-dir', dataDir, '--pty-dir', ptyDir, ...args], { cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  // Everything the sim prints, kept: a crash's stack goes to stderr, not to its log file.
  const file = createWriteStream(join(dataDir, '..', 'sim-out.log'));
  proc.stdout!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000); file.write(d); });
  proc.stderr!.on('data', (d: Buffer) => { out = (out + d.toString()).slice(-20_000); file.write(d); });
  const httpUrl = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`sim did not start:\n${out}`)), 30_000);
    const check = () => { const m = /web viewer\s+(http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); res(m[1]!); } };
    proc.stdout!.on('data', check);
    proc.once('exit', (c) => { clearTimeout(timer); rej(new Error(`sim exited ${c}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  const token = (JSON.parse(readFileSync(join(dataDir, 'sim.json'), 'utf8')) as { token?: string }).token ?? '';
  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const headers = new Headers(init?.headers);
    headers.set('x-smartpole-token', token);
    if (init?.body) headers.set('content-type', 'application/json');
    const r = await fetch(httpUrl + path, { ...init, headers, signal: AbortSignal.timeout(15_000) });
    if (!r.ok) throw new Error(`${path}: HTTP ${r.status} ${await r.text()}`);
    return (r.headers.get('content-type')?.includes('json') ? await r.json() : Buffer.from(await r.arrayBuffer())) as T;
  };
  return { proc, httpUrl, dataDir, ptyDir, token, api, output: () => out };
}

/**
 * The sim's pole.yaml with the chaos run's changes: the database on the small disk (storage
 * thresholds scaled to it), a 5 s meter-value interval, an outbox of 100 rows (the least the schema allows) (so an outage presses
 * on its bound and the drop policy is exercised) and telemetry every 30 s.
 */
function writeChaosConfig(simDir: string, dataDir: string): string {
  const cfg = parseYaml(readFileSync(join(simDir, 'pole.yaml'), 'utf8')) as Record<string, Record<string, unknown>>;
  const base = resolve(simDir);
  const abs = (p: unknown) => (typeof p === 'string' && !p.startsWith('/') ? resolve(base, p) : p);
  cfg.storage = { ...cfg.storage, dataDir, warnFreeMB: 16, downFreeMB: 2 };
  cfg.uplink = { ...cfg.uplink, outboxMaxRows: 100, telemetryIntervalSec: 30 };
  cfg.charging = { ...cfg.charging, meterValueIntervalSec: 5 };
  // Relative paths in the sim's file are relative to it; the copy lives beside it, so they hold.
  void abs;
  const file = join(simDir, 'pole-chaos.yaml');
  writeFileSync(file, toYaml(cfg));
  return file;
}

export function mosquittoAvailable(): boolean {
  return spawnSync('mosquitto', ['-h']).error === undefined;
}
