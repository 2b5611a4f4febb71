/**
 * Signed software updates over the air (docs/updates.md): manifest → download (chunks over MQTT,
 * resumable, disk-bounded) → verify (SHA-256 before anything else) → wait (rollout window, no
 * emergency on screen, no car charging) → install (release unpacked beside the running one) →
 * switch (boot state + `current` symlink, restart into it through the launcher) → health gate
 * (first frame, birth, self-test) → committed, or rolled back by the launcher. Every step is an
 * `update.<step>` event through the outbox; the birth's `update` says where the pole stands.
 */
import { EventEmitter } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ModuleBase } from '../module.js';
import type { InboundHandler } from '../inbound-router.js';
import type { BirthParts } from '../uplink/module.js';
import { softwareVersion } from '../version.js';
import { compareReleases, parseChunkIndex, UpdateManifest, type UpdateBirth, type UpdateStep } from '../../protocols/update.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../storage/database.js';
import type { MessageGate } from '../trust/message-gate.js';
import type { Reporter } from '../uplink/reporter.js';
import type { MqttSession } from '../uplink/mqtt-session.js';
import type { FrameSink } from '../screen/screen-service.js';
import { BASE, readBootState, writeBootState, pointCurrent, currentLink } from './boot-state.js';
import { ChunkFetcher, type ChunkSubscriber } from './chunk-fetcher.js';
import { ChunkStore } from './chunk-store.js';
import type { UpdateErrorCode } from './errors.js';
import { EXIT_RESTART } from './launcher.js';
import { debianArch, installRelease, PackageError, pruneReleases } from './release-store.js';
import { reportStep, type StepFields } from './update-steps.js';

/** One enum for the update machine (docs/architecture.md §State machines). */
export enum UpdateState {
  Idle = 'idle',
  Downloading = 'downloading',
  Verifying = 'verifying',
  Waiting = 'waiting',
  Installing = 'installing',
  Switching = 'switching',
  /** This process is a release on trial: waiting to be healthy. */
  Gating = 'gating',
}

export interface UpdatesDeps extends Pick<ModuleBase, 'logger' | 'now'> {
  gate: Pick<MessageGate, 'open'>;
  mqtt: ChunkSubscriber & Pick<MqttSession, 'on' | 'off' | 'rebirth'>;
  reporter: Reporter;
  db: Db;
  /** The screen's frame sink: 'presented' = a frame is on the glass. */
  sink: Pick<FrameSink, 'on'>;
  /** Where the birth gets its `update` part (which release runs, which is kept). */
  birth?: BirthParts;
  /** Why the update must wait now, or null (runtime/update/busy.ts). */
  busy: () => string | null;
  /** The running release. Default the package.json version. */
  running?: string;
  /**
   * The process environment. The launcher sets SMARTPOLE_RELEASE (its name of the running release:
   * 'base' or a release) and SMARTPOLE_UPDATE_DIR (its --dir, which wins over update.dir); without
   * them the runtime was not started by the launcher and cannot switch releases. Default process.env.
   */
  env?: NodeJS.ProcessEnv;
  /** Ends the process with this status for the launcher (default: SIGTERM to self, main returns it). */
  requestExit?: (code: number) => void;
}

export interface Updates extends EventEmitter<{ state: [UpdateState]; step: [UpdateStep, StepFields] }> {
  readonly state: UpdateState;
  handleManifest(topic: string, payload: Buffer): void;
  handleChunk(key: string, index: string, payload: Buffer): void;
  /** Handlers for the inbound router (runtime/pole.ts wiring). */
  onManifest: InboundHandler<'update'>;
  onChunk: InboundHandler<'update-chunk'>;
  birth(): UpdateBirth;
  start(): void;
  stop(): Promise<void>;
  /** The fetcher's counters (bench). */
  readonly stats: { chunks: number; bytes: number; badChunks: number };
}

const WAIT_RETRY_MS = 5000;
/** Chunks failing their hash before a download is abandoned as tampered. */
const BAD_CHUNKS_MAX = 3;

export function createUpdates(config: Readonly<Config>, deps: UpdatesDeps): Updates {
  const d = { ...deps, running: deps.running ?? softwareVersion() };
  const c = config.update;
  const env = d.env ?? process.env;
  const launchedAs = env.SMARTPOLE_RELEASE;
  const dir = env.SMARTPOLE_UPDATE_DIR ?? c.dir ?? join(config.storage.dataDir, 'update');
  const now = d.now ?? Date.now;
  const log = d.logger.child({ service: 'update' });
  const arch = debianArch();
  const ee = new EventEmitter<{ state: [UpdateState]; step: [UpdateStep, StepFields] }>();
  const manifestFile = join(dir, 'manifest.json');
  let state = UpdateState.Idle;
  let manifest: UpdateManifest | null = null;
  let store: ChunkStore | null = null;
  let fetcher: ChunkFetcher | null = null;
  let progress: number | null = null;
  let lastStep = -1;
  let waitTimer: NodeJS.Timeout | null = null;
  let lastWait = '';
  let stopped = false;
  let badAtStart = 0;
  // Manifests are taken one after another: a newer one arriving while the last is being opened waits for it, then replaces it.
  let work: Promise<void> = Promise.resolve();
  const serial = (f: () => Promise<void>) => { work = work.then(f, f); };
  const stats = { chunks: 0, bytes: 0, badChunks: 0 };
  const gate = { presented: false, birth: false };

  const setState = (s: UpdateState) => {
    if (s === state) return;
    state = s;
    ee.emit('state', s);
    void d.mqtt.rebirth().catch(() => {});
  };
  const step = (s: UpdateStep, message: string, f: StepFields = {}) => {
    reportStep(d.reporter, log, s, message, { release: manifest?.release, ...f });
    ee.emit('step', s, f);
  };
  const refuse = (code: UpdateErrorCode | string, message: string, f: StepFields = {}) => step('refused', message, { code, ...f });

  function persistManifest(m: UpdateManifest | null): void {
    mkdirSync(dir, { recursive: true });
    if (!m) { rmSync(manifestFile, { force: true }); return; }
    writeFileSync(`${manifestFile}.tmp`, JSON.stringify(m));
    renameSync(`${manifestFile}.tmp`, manifestFile);
  }

  async function abandon(): Promise<void> {
    fetcher?.stop();
    await fetcher?.idle();
    fetcher = null;
    await store?.remove();
    store = null;
    manifest = null;
    progress = null;
    persistManifest(null);
    if (waitTimer) clearTimeout(waitTimer);
    waitTimer = null;
    setState(UpdateState.Idle);
  }

  /** Policy after the signature: why this release may not be installed here, or null. */
  function policyRefusal(m: UpdateManifest): { code: UpdateErrorCode; message: string } | null {
    const boot = readBootState(dir);
    if (boot.failed.includes(m.release)) return { code: 'SP_UPDATE_FAILED_BEFORE', message: `release ${m.release} was rolled back here before` };
    const order = compareReleases(m.release, d.running);
    if (order !== null && order < 0 && !m.allowDowngrade) return { code: 'SP_UPDATE_DOWNGRADE', message: `release ${m.release} is older than the running ${d.running}` };
    if (m.minRunning && (compareReleases(d.running, m.minRunning) ?? -1) < 0) return { code: 'SP_UPDATE_MIN_RUNNING', message: `running ${d.running} is below the required ${m.minRunning}` };
    if (m.package.arch !== arch) return { code: 'SP_UPDATE_ARCH', message: `package for ${m.package.arch}, this pole is ${arch}` };
    if (m.package.size > c.maxPackageBytes) return { code: 'SP_UPDATE_TOO_LARGE', message: `package of ${m.package.size} bytes over update.maxPackageBytes ${c.maxPackageBytes}` };
    if (m.window.notAfter && Date.parse(m.window.notAfter) < now()) return { code: 'SP_UPDATE_WINDOW_CLOSED', message: `rollout window closed at ${m.window.notAfter}` };
    if (!m.sources.mqtt) return { code: 'SP_UPDATE_NO_SOURCE', message: 'the manifest offers only HTTPS; this build fetches chunks over MQTT' };
    const need = m.package.size * 7 + c.reserveFreeMB * 1024 * 1024;
    const free = ChunkStore.freeBytes(join(dir, 'download'));
    if (free < need) return { code: 'SP_UPDATE_NO_SPACE', message: `${Math.round(free / 2 ** 20)} MiB free, ${Math.round(need / 2 ** 20)} MiB needed` };
    return null;
  }

  async function begin(m: UpdateManifest, resumed: boolean): Promise<void> {
    if (stopped) return;
    if (manifest && manifest.package.sha256 !== m.package.sha256) await abandon();
    persistManifest(m);
    manifest = m;
    const src = m.sources.mqtt!;
    store = await ChunkStore.open(join(dir, 'download'), { sha256: m.package.sha256, size: m.package.size, chunkSize: src.chunkSize, chunks: src.chunks });
    progress = store.percent();
    badAtStart = stats.badChunks;
    lastStep = Math.floor(progress / c.progressStepPct);
    if (!resumed) step('available', `release ${m.release} available (${m.package.size} bytes)`, { size: m.package.size, sha256: m.package.sha256 });
    if (store.complete) { void verify(); return; }
    setState(UpdateState.Downloading);
    step('downloading', `downloading ${m.release}: ${progress} %`, { percent: progress, resumed });
    fetcher = new ChunkFetcher({
      mqtt: d.mqtt, prefix: config.mqtt.topicPrefix, store, window: c.chunkWindow, stallMs: c.chunkStallSec * 1000, logger: log,
      onProgress: (p) => {
        progress = p;
        stats.chunks++;
        const s = Math.floor(p / c.progressStepPct);
        if (s > lastStep && p < 100) { lastStep = s; step('downloading', `downloading ${m.release}: ${p} %`, { percent: p }); }
      },
      onBadChunk: (i) => {
        stats.badChunks++;
        log.warn({ code: 'SP_UPDATE_CHUNK_HASH', index: i }, 'chunk does not match its hash: dropped');
        d.reporter.event({ code: 'SP_UPDATE_CHUNK_HASH', severity: 'security', message: `chunk ${i} of ${m.release} does not match its signed hash: dropped`, release: m.release, index: i });
        // The broker holds a tampered chunk: fetching it again will not help. Refuse until a new manifest.
        if (stats.badChunks - badAtStart >= BAD_CHUNKS_MAX) {
          refuse('SP_UPDATE_CHUNK_HASH', `${BAD_CHUNKS_MAX} chunks of ${m.release} did not match their signed hashes: download abandoned`);
          void abandon();
        }
      },
      onComplete: () => void verify(),
    });
    fetcher.resume();
  }

  async function verify(): Promise<void> {
    if (!store || !manifest) return;
    setState(UpdateState.Verifying);
    const v = await store.verify();
    if (!v.ok) {
      refuse('SP_UPDATE_HASH', `package hash ${v.sha256.slice(0, 16)}… (${v.size} bytes) does not match the manifest`, { got: v.sha256 });
      await abandon();
      return;
    }
    progress = 100;
    step('verified', `release ${manifest.release} verified (SHA-256)`, { sha256: v.sha256 });
    proceed();
  }

  /** Waits for the window and a quiet moment, then installs and switches. */
  function proceed(): void {
    if (stopped || !manifest || !store) return;
    if (waitTimer) clearTimeout(waitTimer);
    waitTimer = null;
    const m = manifest;
    if (m.window.notAfter && Date.parse(m.window.notAfter) < now()) {
      refuse('SP_UPDATE_WINDOW_CLOSED', `rollout window closed at ${m.window.notAfter}`);
      void abandon();
      return;
    }
    const why = m.window.notBefore && Date.parse(m.window.notBefore) > now() ? `rollout window opens at ${m.window.notBefore}` : d.busy();
    if (why) {
      setState(UpdateState.Waiting);
      if (why !== lastWait) step('waiting', `waiting: ${why}`, { reason: why });
      lastWait = why;
      waitTimer = setTimeout(proceed, WAIT_RETRY_MS);
      waitTimer.unref?.();
      return;
    }
    lastWait = '';
    void install(m, store);
  }

  async function install(m: UpdateManifest, s: ChunkStore): Promise<void> {
    setState(UpdateState.Installing);
    try {
      await installRelease(dir, s.file, { release: m.release, arch });
    } catch (e) {
      const pkg = e instanceof PackageError;
      refuse(pkg ? 'SP_UPDATE_PACKAGE' : 'SP_UPDATE_INTERNAL', `install failed: ${(e as Error).message}`);
      await abandon();
      return;
    }
    step('installed', `release ${m.release} unpacked beside ${d.running}`);
    if (launchedAs === undefined) {
      refuse('SP_UPDATE_INTERNAL', 'not started by the launcher (smartpole-launcher): the release is installed but cannot be switched to');
      return;
    }
    setState(UpdateState.Switching);
    const boot = readBootState(dir);
    const t = now();
    writeBootState(dir, {
      ...boot, rolledBack: boot.rolledBack,
      trial: { release: m.release, from: launchedAs, switchedAt: t, deadline: t + c.gateSec * 1000, attempts: 0, maxAttempts: c.bootAttempts },
    });
    pointCurrent(dir, m.release);
    step('switching', `switching to ${m.release}; ${launchedAs} is kept`, { from: d.running, gateSec: c.gateSec });
    fetcher = null;
    await s.remove();
    persistManifest(null);
    (d.requestExit ?? defaultExit)(EXIT_RESTART);
  }

  /** In a release on trial: healthy = a frame presented, the birth published, the self-test passing. */
  function checkGate(): void {
    if (state !== UpdateState.Gating || !gate.presented || !gate.birth) return;
    const fault = selftest();
    if (fault) { log.warn({ fault }, 'health gate: self-test fails'); return; }
    const boot = readBootState(dir);
    const t = boot.trial;
    if (!t || t.release !== launchedAs) { setState(UpdateState.Idle); return; }
    writeBootState(dir, { ...boot, current: t.release, previous: t.from, trial: null });
    pruneReleases(dir, [t.release, t.from]);
    setState(UpdateState.Idle);
    step('healthy', `release ${t.release} healthy ${((now() - t.switchedAt) / 1000).toFixed(1)} s after the switch; ${t.from} kept`, { release: t.release, kept: t.from, afterMs: now() - t.switchedAt, attempt: t.attempts });
  }

  function selftest(): string | null {
    try {
      d.db.prepare('SELECT 1').get();
    } catch (e) {
      return `database: ${(e as Error).message}`;
    }
    if (launchedAs && currentLink(dir) !== launchedAs) return `current points at ${currentLink(dir)}, not ${launchedAs}`;
    return null;
  }

  const onPresented = () => { if (stopped || gate.presented) return; gate.presented = true; checkGate(); };
  const onBirth = () => { gate.birth = true; checkGate(); };
  const onConnected = () => fetcher?.resume();

  // Object.assign would copy the getter's value once; the state is read live.
  Object.defineProperty(ee, 'state', { get: () => state, enumerable: true });
  const api: Updates = Object.assign(ee as typeof ee & { readonly state: UpdateState }, {
    stats,
    handleManifest(topic: string, payload: Buffer): void {
      if (!c.enabled || stopped) return;
      if (payload.length === 0) return; // a cleared retained manifest
      const r = d.gate.open(payload, UpdateManifest, 'update', topic);
      if (!r.ok) {
        if (r.code !== 'SP_MSG_DUPLICATE') refuse(r.code, `manifest refused: ${r.detail}`, { kid: r.kid, issuer: r.issuer, version: r.version });
        else log.debug('manifest already handled');
        return;
      }
      r.commit();
      const m = r.payload;
      if (m.release === d.running || m.release === manifest?.release) { log.info({ release: m.release }, 'manifest for the running or pending release'); return; }
      const why = policyRefusal(m);
      if (why) { refuse(why.code, why.message, { release: m.release, issuer: r.issuer }); return; }
      serial(() => begin(m, false).catch((e: Error) => { refuse('SP_UPDATE_INTERNAL', `download failed to start: ${e.message}`); return abandon(); }));
    },
    handleChunk(key: string, index: string, payload: Buffer): void {
      const i = parseChunkIndex(index);
      if (!fetcher || i === null || key !== fetcher.key) return;
      stats.bytes += payload.length;
      fetcher.onChunk(i, payload);
    },
    onManifest: ((_t, payload, topic) => api.handleManifest(topic, payload)) as InboundHandler<'update'>,
    onChunk: ((t, payload) => api.handleChunk(t.key, t.index, payload)) as InboundHandler<'update-chunk'>,
    birth(): UpdateBirth {
      const boot = readBootState(dir);
      const rb = boot.rolledBack;
      return {
        running: d.running, kept: boot.trial ? boot.trial.from : boot.previous, state, target: manifest?.release ?? null, progress,
        lastRollback: rb ? { release: rb.release, reason: rb.reason, at: new Date(rb.at).toISOString() } : null,
      };
    },
    start(): void {
      const boot = readBootState(dir);
      if (boot.rolledBack && !boot.rolledBack.reported) {
        const rb = boot.rolledBack;
        step('rolled-back', `release ${rb.release} rolled back: ${rb.reason}`, { release: rb.release, reason: rb.reason, code: 'SP_UPDATE_ROLLED_BACK', running: d.running });
        writeBootState(dir, { ...boot, rolledBack: { ...rb, reported: true } });
        pruneReleases(dir, [boot.current, boot.previous ?? BASE]);
      }
      if (boot.trial && boot.trial.release === launchedAs) {
        setState(UpdateState.Gating);
        d.sink.on('presented', onPresented);
        d.mqtt.on('birth', onBirth);
      }
      d.mqtt.on('connected', onConnected);
      if (existsSync(manifestFile) && state === UpdateState.Idle) {
        try {
          const m = UpdateManifest.parse(JSON.parse(readFileSync(manifestFile, 'utf8')));
          if (m.release !== d.running && !readBootState(dir).failed.includes(m.release)) {
            serial(() => begin(m, true).catch((e: Error) => { refuse('SP_UPDATE_INTERNAL', `download failed to resume: ${e.message}`); return abandon(); }));
          } else persistManifest(null);
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'stored manifest unreadable: dropped');
          persistManifest(null);
        }
      }
    },
    async stop(): Promise<void> {
      stopped = true;
      if (waitTimer) clearTimeout(waitTimer);
      fetcher?.stop();
      await fetcher?.idle();
      await store?.close();
      d.mqtt.off('birth', onBirth);
      d.mqtt.off('connected', onConnected);
    },
  });
  d.birth?.register('update', () => api.birth());
  return api;
}

function defaultExit(code: number): void {
  process.exitCode = code;
  process.kill(process.pid, 'SIGTERM');
}

