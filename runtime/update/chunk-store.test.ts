import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChunkStore } from './chunk-store.js';

function planOf(data: Buffer, chunkSize: number) {
  const chunks: string[] = [];
  for (let o = 0; o < data.length; o += chunkSize) chunks.push(createHash('sha256').update(data.subarray(o, o + chunkSize)).digest('hex'));
  return { sha256: createHash('sha256').update(data).digest('hex'), size: data.length, chunkSize, chunks };
}

describe('ChunkStore', () => {
  it('resumes after a reopen with only the missing chunks, refuses bad chunks, verifies the whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-chunks-'));
    const data = randomBytes(4096 * 5 + 123);
    const plan = planOf(data, 4096);
    const a = await ChunkStore.open(dir, plan);
    const chunk = (i: number) => data.subarray(i * 4096, (i + 1) * 4096);
    expect(await a.put(0, chunk(0))).toBe('stored');
    expect(await a.put(3, chunk(3))).toBe('stored');
    expect(await a.put(3, chunk(3))).toBe('duplicate');
    expect(await a.put(1, Buffer.from(chunk(2)))).toBe('bad-hash');
    expect(await a.put(9, chunk(0))).toBe('out-of-range');
    await a.close();
    const b = await ChunkStore.open(dir, plan);
    expect(b.missing()).toEqual([1, 2, 4, 5]);
    expect(b.percent()).toBe(33);
    for (const i of b.missing()) expect(await b.put(i, chunk(i))).toBe('stored');
    expect(b.complete).toBe(true);
    expect(await b.verify()).toMatchObject({ ok: true, size: data.length });
    expect(readFileSync(b.file).equals(data)).toBe(true);
    await b.remove();
  });

  it('keeps one download at a time: another package\'s files are removed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-chunks-'));
    const one = await ChunkStore.open(dir, planOf(randomBytes(5000), 4096));
    await one.close();
    const two = await ChunkStore.open(dir, planOf(randomBytes(5000), 4096));
    expect(two.missing()).toEqual([0, 1]);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dir).every((f) => f.startsWith(two.plan.sha256))).toBe(true);
    await two.remove();
  });
});
