/**
 * A three-node NATS cluster with the MQTT gateway, from Debian's `nats-server` package, on loopback:
 * the harness of the cluster e2e test and the fleet bench (docs/fleet.md §The tested NATS config).
 * Each node has its own JetStream store directory, free client/route/MQTT/monitor ports, and routes
 * to the two others; MQTT state (retained messages, sessions, QoS 1) lives in streams replicated
 * three times. `kill(i)` is a SIGKILL (a node dying, not a clean shutdown); `restart(i)` starts the
 * node again on the same ports and store. `stop()` kills every node still running and removes the
 * store directories; an exit hook does the same if the test process dies first.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './mosquitto.js';

export interface NatsNode {
  name: string;
  mqttPort: number;
  mqttUrl: string;
  httpPort: number;
  proc: ChildProcess | null;
  /** Process id while running (for CPU/RSS figures from /proc). */
  pid(): number | null;
}

export interface NatsCluster {
  nodes: NatsNode[];
  /** The three MQTT URLs, comma-separated (the `--mqtt-url` form). */
  urls: string[];
  kill(i: number): Promise<void>;
  restart(i: number): Promise<void>;
  /** Resolves when every running node answers /healthz and accepts an MQTT connection. */
  ready(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  output(i: number): string;
  version: string;
}

export interface NatsClusterOptions {
  /** Extra lines inside each node's `mqtt { }` block. */
  mqttExtra?: string[];
  /** JetStream memory/file limits per node (defaults: 256 MiB / 2 GiB). */
  maxMemory?: string;
  maxFile?: string;
}

const live = new Set<ChildProcess>();
let hooked = false;
function killAllOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.once('exit', () => { for (const p of live) { try { p.kill('SIGKILL'); } catch { /* gone */ } } });
}

export function natsServerVersion(): string {
  const r = spawnSync('nats-server', ['--version'], { encoding: 'utf8' });
  if (r.error) throw new Error('nats-server not found: install the Debian package `nats-server` (scripts/setup.sh test does)');
  return (r.stdout ?? '').trim().replace(/^nats-server:\s*/, '');
}

/** The node's config (docs/fleet.md shows the same, annotated). */
export function natsNodeConfig(o: { name: string; port: number; httpPort: number; clusterPort: number; mqttPort: number; routes: number[]; storeDir: string } & NatsClusterOptions): string {
  return `server_name: ${o.name}
listen: 127.0.0.1:${o.port}
http: 127.0.0.1:${o.httpPort}
jetstream {
  store_dir: "${o.storeDir}"
  max_memory_store: ${o.maxMemory ?? '256MB'}
  max_file_store: ${o.maxFile ?? '2GB'}
}
cluster {
  name: smartpole
  listen: 127.0.0.1:${o.clusterPort}
  routes: [${o.routes.map((p) => `nats-route://127.0.0.1:${p}`).join(', ')}]
}
mqtt {
  listen: 127.0.0.1:${o.mqttPort}
  # retained messages, sessions and QoS 1 messages: replicated on all three nodes
  stream_replicas: 3
  # a QoS 1 subscription's consumer: R1 in memory (R3 made failover several times slower here);
  # a clean session rebuilds it on reconnect. docs/fleet.md §What we measured: what it costs.
  consumer_replicas: 1
  consumer_memory_storage: true
  # PUBACKs outstanding per subscription before the node holds back deliveries
  max_ack_pending: 1024
  ack_wait: "30s"
${(o.mqttExtra ?? []).map((l) => `  ${l}`).join('\n')}
}
`;
}

async function probeMqtt(port: number): Promise<boolean> {
  // A bare MQTT 3.1.1 CONNECT; the node answers CONNACK 0 only once its JetStream account is usable.
  const id = Buffer.from(`probe-${port}-${Date.now() % 100000}`);
  const vh = Buffer.from([0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x0a]);
  const body = Buffer.concat([vh, Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const pkt = Buffer.concat([Buffer.from([0x10, body.length]), body]);
  return new Promise((r) => {
    const s = connect(port, '127.0.0.1');
    const t = setTimeout(() => { s.destroy(); r(false); }, 3000);
    s.once('connect', () => s.write(pkt));
    s.once('data', (d) => { clearTimeout(t); s.end(Buffer.from([0xe0, 0x00])); r(d[0] === 0x20 && d[3] === 0); });
    s.once('error', () => { clearTimeout(t); r(false); });
  });
}

/**
 * Starts the cluster on fresh free ports. A free port can be taken by another process between
 * `freePort()` and nats-server's bind (tests run side by side): a node that exits with "address
 * already in use" restarts the whole cluster on new ports, up to three times.
 */
export async function startNatsCluster(o: NatsClusterOptions = {}): Promise<NatsCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o);
    } catch (e) {
      if (attempt >= 3 || !/address already in use/i.test((e as Error).message)) throw e;
    }
  }
}

async function startOnce(o: NatsClusterOptions): Promise<NatsCluster> {
  const version = natsServerVersion();
  killAllOnExit();
  const root = mkdtempSync(join(tmpdir(), 'sp-nats-'));
  const ports: { port: number; httpPort: number; clusterPort: number; mqttPort: number }[] = [];
  for (let i = 0; i < 3; i++) ports.push({ port: await freePort(), httpPort: await freePort(), clusterPort: await freePort(), mqttPort: await freePort() });
  const outputs = ['', '', ''];
  const confs = ports.map((p, i) => {
    const name = `n${i + 1}`;
    const storeDir = join(root, name);
    mkdirSync(storeDir);
    const conf = join(root, `${name}.conf`);
    writeFileSync(conf, natsNodeConfig({ name, ...p, storeDir, routes: ports.filter((_, j) => j !== i).map((q) => q.clusterPort), ...o }));
    return conf;
  });
  const nodes: NatsNode[] = ports.map((p, i) => ({
    name: `n${i + 1}`, mqttPort: p.mqttPort, mqttUrl: `mqtt://127.0.0.1:${p.mqttPort}`, httpPort: p.httpPort, proc: null,
    pid() { const pr = this.proc; return pr && pr.exitCode === null && pr.signalCode === null ? pr.pid ?? null : null; },
  }));
  const launch = (i: number) => {
    const p = spawn('nats-server', ['-c', confs[i]!], { stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (d: Buffer) => { outputs[i] = (outputs[i]! + d.toString()).slice(-200_000); };
    p.stdout!.on('data', keep);
    p.stderr!.on('data', keep);
    p.once('exit', () => live.delete(p));
    live.add(p);
    nodes[i]!.proc = p;
  };
  const exited = (p: ChildProcess | null) => !p || p.exitCode !== null || p.signalCode !== null;
  const kill = async (i: number) => {
    const p = nodes[i]!.proc;
    if (exited(p)) return;
    await new Promise((r) => { p!.once('exit', r); p!.kill('SIGKILL'); });
  };
  const ready = async (timeoutMs = 60_000) => {
    const end = Date.now() + timeoutMs;
    for (const [i, n] of nodes.entries()) {
      if (exited(n.proc)) continue;
      for (;;) {
        if (exited(n.proc)) throw new Error(`nats-server ${n.name} exited:\n${outputs[i]!.slice(-3000)}`);
        const healthy = await fetch(`http://127.0.0.1:${n.httpPort}/healthz`).then((r) => r.ok, () => false);
        if (healthy && await probeMqtt(n.mqttPort)) break;
        if (Date.now() > end) throw new Error(`nats-server ${n.name} not ready after ${timeoutMs} ms:\n${outputs[i]!.slice(-3000)}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  for (let i = 0; i < 3; i++) launch(i);
  const cluster: NatsCluster = {
    nodes, urls: nodes.map((n) => n.mqttUrl), version,
    kill,
    async restart(i) { await kill(i); launch(i); },
    ready,
    async stop() {
      await Promise.all(nodes.map((_, i) => kill(i)));
      rmSync(root, { recursive: true, force: true });
    },
    output: (i) => outputs[i]!,
  };
  try {
    await ready();
  } catch (e) {
    await cluster.stop();
    throw e;
  }
  return cluster;
}

/** CPU seconds (user+system) and resident MiB of a process, from /proc (Linux). */
export function procUsage(pid: number): { cpuSec: number; rssMiB: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    const rssPages = Number(f[21]);
    return { cpuSec: ticks / 100, rssMiB: (rssPages * 4096) / 2 ** 20 };
  } catch {
    return null;
  }
}
