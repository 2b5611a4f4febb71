/**
 * Signed software updates (docs/updates.md): the manifest a key with the `update` power signs,
 * release version arithmetic, and the topics a package's chunks are published on. Pure: no I/O,
 * no timers.
 *
 * A manifest names one package (a Debian .deb of the runtime) by its SHA-256 and size, the lowest
 * running version it may be installed over, a rollout window, and where to get it: chunks retained
 * on the broker (QoS 1; the pole subscribes to the chunks it still lacks, so a download resumes
 * after any drop without a second server) and/or an HTTPS URL under the city's CA.
 */
import { z } from 'zod';
import { SignedPayloadBase } from './signed.js';
import { IsoDateTime } from './time.js';

/** A release version as the package carries it: MAJOR.MINOR.PATCH with an optional -pre.N tag. */
export const ReleaseVersion = z.string().max(40).regex(/^(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})\.(0|[1-9]\d{0,5})(?:-[a-z]+(?:\.(0|[1-9]\d{0,5}))?)?$/, 'MAJOR.MINOR.PATCH[-tag[.N]]');
export type ReleaseVersion = z.infer<typeof ReleaseVersion>;

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');

/** Chunk size bounds: each chunk must fit one inbound MQTT message (INBOUND_MAX_BYTES). */
export const CHUNK_MIN = 4 * 1024;
export const CHUNK_MAX = 256 * 1024;
/** Largest package a manifest may name (the pole's own bound, update.maxPackageBytes, is usually lower). */
export const PACKAGE_MAX = 256 * 1024 * 1024;

export const UpdateManifest = SignedPayloadBase.extend({
  type: z.literal('update'),
  /** The release: the Debian package's Version, also what `smartpole --version` says once it runs. */
  release: ReleaseVersion,
  package: z.strictObject({
    name: z.literal('smartpole'),
    /** dpkg --print-architecture of the poles it is for. */
    arch: z.string().regex(/^[a-z0-9-]{2,16}$/),
    size: z.number().int().positive().max(PACKAGE_MAX),
    sha256: Sha256,
  }),
  /** Install only over a running release at least this one (migrations it relies on). */
  minRunning: ReleaseVersion.optional(),
  /** Signed permission to install a release lower than the running one (anti-rollback otherwise). */
  allowDowngrade: z.boolean().default(false),
  /** Install only within this window (download may start before). */
  window: z.strictObject({ notBefore: IsoDateTime.optional(), notAfter: IsoDateTime.optional() }).default({}),
  sources: z.strictObject({
    mqtt: z.strictObject({
      chunkSize: z.number().int().min(CHUNK_MIN).max(CHUNK_MAX),
      /** SHA-256 of each chunk in order: a bad chunk is refused on arrival, not after the whole download. */
      chunks: z.array(Sha256).min(1).max(PACKAGE_MAX / CHUNK_MIN),
    }).optional(),
    /** An HTTPS URL served under the city's CA (mqtt.tls.caFile). */
    https: z.strictObject({ url: z.string().url().startsWith('https://').max(2000) }).optional(),
  }).refine((s) => s.mqtt !== undefined || s.https !== undefined, 'at least one source (mqtt or https)'),
}).superRefine((m, ctx) => {
  const c = m.sources.mqtt;
  if (c && c.chunks.length !== Math.ceil(m.package.size / c.chunkSize)) {
    ctx.addIssue({ code: 'custom', path: ['sources', 'mqtt', 'chunks'], message: `${c.chunks.length} chunk hashes for ${m.package.size} bytes in chunks of ${c.chunkSize}` });
  }
});
export type UpdateManifest = z.infer<typeof UpdateManifest>;
export type UpdateManifestInput = z.input<typeof UpdateManifest>;

/** The message id every update manifest carries: one series per audience. */
export const UPDATE_ID = 'smartpole';

export interface ParsedVersion { major: number; minor: number; patch: number; pre: string | null; preN: number }

export function parseReleaseVersion(v: string): ParsedVersion | null {
  if (!ReleaseVersion.safeParse(v).success) return null;
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([a-z]+)(?:\.(\d+))?)?$/.exec(v)!;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), pre: m[4] ?? null, preN: Number(m[5] ?? 0) };
}

/** Semantic-version order (a pre-release sorts before its release); null when either does not parse. */
export function compareReleases(a: string, b: string): number | null {
  const x = parseReleaseVersion(a);
  const y = parseReleaseVersion(b);
  if (!x || !y) return null;
  const d = x.major - y.major || x.minor - y.minor || x.patch - y.patch;
  if (d !== 0) return Math.sign(d);
  if (x.pre === null || y.pre === null) return x.pre === y.pre ? 0 : x.pre === null ? 1 : -1;
  if (x.pre !== y.pre) return x.pre < y.pre ? -1 : 1;
  return Math.sign(x.preN - y.preN);
}

/** `<prefix>/updates/chunk/<first 16 hex of the package sha256>/<index>` — retained, QoS 1. */
export function chunkTopic(prefix: string, sha256: string, index: number): string {
  return `${prefix}/updates/chunk/${sha256.slice(0, 16)}/${index}`;
}

/** The index of a chunk topic's last level, or null when it is not a chunk index. */
export function parseChunkIndex(level: string): number | null {
  return /^(0|[1-9]\d{0,6})$/.test(level) ? Number(level) : null;
}

/** Byte range [start, end) of chunk `index`. */
export function chunkRange(size: number, chunkSize: number, index: number): { start: number; end: number } {
  const start = index * chunkSize;
  return { start, end: Math.min(size, start + chunkSize) };
}

/** What an update step reports (docs/updates.md §Reports): one event code per step. */
export const UpdateStep = z.enum(['available', 'waiting', 'downloading', 'verified', 'installed', 'switching', 'healthy', 'rolled-back', 'refused']);
export type UpdateStep = z.infer<typeof UpdateStep>;

/** The `update` part of the birth: which release runs, which is kept to roll back to, what is under way. */
export const UpdateBirth = z.strictObject({
  running: z.string(),
  kept: z.string().nullable(),
  state: z.string(),
  target: z.string().nullable(),
  progress: z.number().min(0).max(100).nullable(),
  lastRollback: z.strictObject({ release: z.string(), reason: z.string(), at: z.string() }).nullable(),
});
export type UpdateBirth = z.infer<typeof UpdateBirth>;
