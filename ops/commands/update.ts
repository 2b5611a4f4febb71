/**
 * `smartpole ops update publish PACKAGE.deb --to all|group:G|pole:ID [--chunk-size BYTES]
 *   [--min-running V] [--allow-downgrade] [--not-before ISO] [--not-after ISO] [--https-url URL]`
 * (docs/updates.md §Publishing): reads the package's name, version and architecture with
 * `dpkg-deb`, hashes it and its chunks, publishes each chunk retained at QoS 1 on
 * `updates/chunk/<sha16>/<n>`, then signs the manifest for the target and publishes it retained on
 * `updates/<target>/manifest`. The key needs the `update` power (docs/security.md §Key powers).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chunkTopic, UPDATE_ID, UpdateManifest, type UpdateManifestInput } from '../../protocols/update.js';
import { updateManifestTopic } from '../../protocols/topics.js';
import { isoWithOffset } from '../../protocols/time.js';
import { connectOps, endAsync, publishAsync } from '../mqtt-client.js';
import { signForTopic } from '../sign.js';
import { OpsUsageError, resolveContext, type OpsFlags } from '../context.js';
import { parseTarget } from './notice.js';

export interface UpdateFlags extends OpsFlags {
  to?: string;
  'chunk-size'?: string;
  'min-running'?: string;
  'allow-downgrade'?: boolean;
  'not-before'?: string;
  'not-after'?: string;
  'https-url'?: string;
}

export const UPDATE_USAGE = 'usage: smartpole ops update publish PACKAGE.deb --to all|group:G|pole:ID [--chunk-size BYTES] [--min-running V] [--allow-downgrade] [--not-before ISO] [--not-after ISO] [--https-url URL]';

/** The manifest for a package's bytes (pure apart from the clock): hashes, chunks, fields. */
export function manifestFor(deb: Buffer, fields: { version: string; arch: string }, o: { chunkSize: number; audience: string; now: number; minRunning?: string | undefined; allowDowngrade?: boolean | undefined; notBefore?: string | undefined; notAfter?: string | undefined; httpsUrl?: string | undefined }): UpdateManifest {
  const chunks: string[] = [];
  for (let off = 0; off < deb.length; off += o.chunkSize) chunks.push(createHash('sha256').update(deb.subarray(off, off + o.chunkSize)).digest('hex'));
  const input: UpdateManifestInput = {
    type: 'update', id: UPDATE_ID, audience: o.audience, version: o.now, issuedAt: isoWithOffset(o.now),
    release: fields.version,
    package: { name: 'smartpole', arch: fields.arch, size: deb.length, sha256: createHash('sha256').update(deb).digest('hex') },
    minRunning: o.minRunning, allowDowngrade: o.allowDowngrade ?? false,
    window: { notBefore: o.notBefore, notAfter: o.notAfter },
    sources: { mqtt: { chunkSize: o.chunkSize, chunks }, ...(o.httpsUrl ? { https: { url: o.httpsUrl } } : {}) },
  };
  return UpdateManifest.parse(input);
}

export async function updateCommand(sub: string | undefined, rest: string[], f: UpdateFlags, out: (s: string) => void): Promise<number> {
  const file = rest[0];
  if (sub !== 'publish' || !file || !f.to) throw new OpsUsageError(UPDATE_USAGE);
  const target = parseTarget(f.to);
  const chunkSize = Number(f['chunk-size'] ?? 64 * 1024);
  let deb: Buffer;
  let fields: { name: string; version: string; arch: string };
  try {
    deb = readFileSync(file);
    const [name, version, arch] = execFileSync('dpkg-deb', ['-f', file, 'Package', 'Version', 'Architecture'], { encoding: 'utf8' }).trim().split('\n').map((l) => l.replace(/^[^:]+:\s*/, ''));
    fields = { name: name ?? '', version: version ?? '', arch: arch ?? '' };
  } catch (e) {
    throw new OpsUsageError(`${file}: not a readable Debian package (${(e as Error).message.split('\n')[0]})`);
  }
  if (fields.name !== 'smartpole') throw new OpsUsageError(`${file} is package "${fields.name}", not smartpole`);
  const ctx = resolveContext(f);
  const topic = updateManifestTopic(ctx.prefix, target);
  const audience = target.scope === 'all' ? 'all' : target.scope === 'group' ? `group:${target.group}` : `pole:${target.poleId}`;
  let manifest: UpdateManifest;
  try {
    manifest = manifestFor(deb, fields, { chunkSize, audience, now: Date.now(), minRunning: f['min-running'], allowDowngrade: f['allow-downgrade'], notBefore: f['not-before'], notAfter: f['not-after'], httpsUrl: f['https-url'] });
  } catch (e) {
    throw new OpsUsageError(`manifest does not validate: ${(e as Error).message}`);
  }
  const key = ctx.key();
  const client = await connectOps(ctx.connection);
  try {
    const t0 = performance.now();
    const chunks = manifest.sources.mqtt!.chunks;
    // Chunks first, so a pole that sees the manifest finds every chunk already retained.
    for (let i = 0; i < chunks.length; i += 8) {
      await Promise.all(chunks.slice(i, i + 8).map((_, j) => publishAsync(client, chunkTopic(ctx.prefix, manifest.package.sha256, i + j), deb.subarray((i + j) * chunkSize, (i + j + 1) * chunkSize), { qos: 1, retain: true })));
    }
    await publishAsync(client, topic, JSON.stringify(signForTopic(manifest, key, ctx.prefix, topic)), { qos: 1, retain: true });
    out(`published smartpole ${manifest.release} (${fields.arch}, ${deb.length} bytes, ${chunks.length} chunks of ${chunkSize}) → ${topic} (signed by ${key.kid}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    out(`sha256 ${manifest.package.sha256}`);
    return 0;
  } finally {
    await endAsync(client);
  }
}
