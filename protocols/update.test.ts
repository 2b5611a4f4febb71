import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { chunkRange, compareReleases, parseChunkIndex, parseReleaseVersion, UpdateManifest } from './update.js';
import { parseInboundTopic } from './topics.js';
import { audienceOfTopic } from './audience.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const version = fc.tuple(fc.nat(999), fc.nat(999), fc.nat(999), fc.option(fc.tuple(fc.constantFrom('alpha', 'beta', 'rc'), fc.nat(99)), { nil: undefined }))
  .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre ? `-${pre[0]}.${pre[1]}` : ''}`);

describe('release versions', () => {
  it('order like semantic versions', () => {
    expect(compareReleases('0.1.1', '0.1.0')).toBe(1);
    expect(compareReleases('0.10.0', '0.9.9')).toBe(1);
    expect(compareReleases('1.0.0-rc.1', '1.0.0')).toBe(-1);
    expect(compareReleases('1.0.0-beta.2', '1.0.0-beta.10')).toBe(-1);
    expect(compareReleases('1.0.0', '1.0.0')).toBe(0);
    expect(compareReleases('1.0', '1.0.0')).toBeNull();
  });

  it('is a total order: antisymmetric and transitive (property)', () => {
    fc.assert(fc.property(version, version, version, (a, b, c) => {
      const ab = compareReleases(a, b)!;
      expect(compareReleases(b, a)).toBe(-ab || 0);
      if (ab <= 0 && compareReleases(b, c)! <= 0) expect(compareReleases(a, c)!).toBeLessThanOrEqual(0);
    }), { numRuns: RUNS });
  });

  it('never throws on arbitrary strings (property)', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => {
      const r = compareReleases(a, b);
      expect(r === null || [-1, 0, 1].includes(r)).toBe(true);
      parseReleaseVersion(a);
    }), { numRuns: RUNS });
  });
});

describe('chunk topics', () => {
  it('parse an index only from canonical decimal levels (property)', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      const i = parseChunkIndex(s);
      if (i !== null) expect(String(i)).toBe(s);
    }), { numRuns: RUNS });
    expect(parseChunkIndex('07')).toBeNull();
    expect(parseChunkIndex('12')).toBe(12);
  });

  it('ranges cover the package exactly once (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 4096, max: 262_144 }), (size, cs) => {
      const n = Math.ceil(size / cs);
      let covered = 0;
      for (const i of [0, n - 1]) {
        const r = chunkRange(size, cs, i);
        expect(r.end).toBeGreaterThan(r.start);
        covered += i === n - 1 && n > 1 ? r.end - r.start : 0;
      }
      expect(chunkRange(size, cs, n - 1).end).toBe(size);
      expect(covered).toBeLessThanOrEqual(cs);
    }), { numRuns: RUNS });
  });

  it('manifest and chunk topics parse with their audiences', () => {
    const P = 'smartpole/v1';
    expect(parseInboundTopic(P, `${P}/updates/all/manifest`)).toEqual({ kind: 'update', target: { scope: 'all' } });
    expect(parseInboundTopic(P, `${P}/updates/group/district/jiangan/manifest`)).toEqual({ kind: 'update', target: { scope: 'group', group: 'district/jiangan' } });
    expect(audienceOfTopic(P, `${P}/updates/pole/WH-JA-0001/manifest`)).toBe('pole:WH-JA-0001');
    expect(parseInboundTopic(P, `${P}/updates/chunk/0123456789abcdef/3`)).toEqual({ kind: 'update-chunk', key: '0123456789abcdef', index: '3' });
    expect(parseInboundTopic(P, `${P}/updates/all/other`)).toBeNull();
  });
});

describe('UpdateManifest', () => {
  const base = {
    type: 'update', id: 'smartpole', audience: 'all', version: 1, issuedAt: '2026-12-07T10:00:00+08:00', release: '0.2.0',
    package: { name: 'smartpole', arch: 'amd64', size: 10_000, sha256: 'a'.repeat(64) },
    sources: { mqtt: { chunkSize: 4096, chunks: ['b'.repeat(64), 'c'.repeat(64), 'd'.repeat(64)] } },
  };

  it('accepts a complete manifest and defaults allowDowngrade to false', () => {
    const m = UpdateManifest.parse(base);
    expect(m.allowDowngrade).toBe(false);
  });

  it('refuses a chunk list that does not cover the size, and a manifest without a source', () => {
    expect(UpdateManifest.safeParse({ ...base, package: { ...base.package, size: 20_000 } }).success).toBe(false);
    expect(UpdateManifest.safeParse({ ...base, sources: {} }).success).toBe(false);
    expect(UpdateManifest.safeParse({ ...base, sources: { https: { url: 'http://x.example/p.deb' } } }).success).toBe(false);
  });

  it('never throws on arbitrary JSON (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { UpdateManifest.safeParse(v); }), { numRuns: RUNS });
    fc.assert(fc.property(fc.record({ release: fc.string(), size: fc.integer(), chunkSize: fc.integer() }), (r) => {
      UpdateManifest.safeParse({ ...base, release: r.release, package: { ...base.package, size: r.size }, sources: { mqtt: { chunkSize: r.chunkSize, chunks: base.sources.mqtt.chunks } } });
    }), { numRuns: RUNS });
  });
});
