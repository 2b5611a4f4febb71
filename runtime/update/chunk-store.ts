/**
 * The download store (docs/updates.md §Download): one package at a time, `<dir>/download/<sha256>.part`
 * (the package's bytes at their offsets, sparse until complete) and `<sha256>.have` (one byte per
 * chunk, set only after the chunk's bytes are on disk: a kill -9 loses at most the chunks in flight).
 * A restart reopens both and fetches only what is missing. All file work is asynchronous.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statfsSync } from 'node:fs';
import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { chunkRange } from '../../protocols/update.js';

export interface ChunkPlan { sha256: string; size: number; chunkSize: number; chunks: readonly string[] }

export type PutResult = 'stored' | 'duplicate' | 'bad-hash' | 'out-of-range';

export class ChunkStore {
  private have: Buffer;
  private fh: FileHandle | null = null;
  private haveFh: FileHandle | null = null;
  readonly file: string;
  private readonly haveFile: string;

  private constructor(readonly dir: string, readonly plan: ChunkPlan, have: Buffer) {
    this.have = have;
    this.file = join(dir, `${plan.sha256}.part`);
    this.haveFile = join(dir, `${plan.sha256}.have`);
  }

  /** Opens (resuming) or creates the store for `plan`; any other package's files are removed (one at a time). */
  static async open(dir: string, plan: ChunkPlan): Promise<ChunkStore> {
    mkdirSync(dir, { recursive: true });
    for (const f of readdirSync(dir)) if (!f.startsWith(plan.sha256)) rmSync(join(dir, f), { force: true, recursive: true });
    const haveFile = join(dir, `${plan.sha256}.have`);
    const part = join(dir, `${plan.sha256}.part`);
    let have = Buffer.alloc(plan.chunks.length);
    if (existsSync(haveFile) && existsSync(part)) {
      const b = await readFile(haveFile);
      if (b.length === plan.chunks.length) have = b;
    }
    const s = new ChunkStore(dir, plan, have);
    s.fh = await open(part, existsSync(part) ? 'r+' : 'w+', 0o640);
    await s.fh.truncate(plan.size);
    if (!existsSync(haveFile)) await writeFile(haveFile, have, { mode: 0o640 });
    s.haveFh = await open(haveFile, 'r+');
    return s;
  }

  /** Bytes the download needs on disk (the package; the unpacked release is counted by the caller). */
  static freeBytes(dir: string): number {
    mkdirSync(dir, { recursive: true });
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  }

  missing(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.have.length; i++) if (this.have[i] !== 1) out.push(i);
    return out;
  }

  get received(): number {
    return this.have.length - this.missing().length;
  }

  get complete(): boolean {
    return this.have.every((b) => b === 1);
  }

  /** Percent of the chunks on disk, 0–100. */
  percent(): number {
    return Math.floor((this.received / this.have.length) * 100);
  }

  async put(index: number, data: Buffer): Promise<PutResult> {
    if (!Number.isInteger(index) || index < 0 || index >= this.plan.chunks.length) return 'out-of-range';
    if (this.have[index] === 1) return 'duplicate';
    const { start, end } = chunkRange(this.plan.size, this.plan.chunkSize, index);
    if (data.length !== end - start || createHash('sha256').update(data).digest('hex') !== this.plan.chunks[index]) return 'bad-hash';
    await this.fh!.write(data, 0, data.length, start);
    await this.fh!.datasync();
    this.have[index] = 1;
    await this.haveFh!.write(this.have, index, 1, index);
    return 'stored';
  }

  /** SHA-256 and size of the whole file, read in 64 KiB slices (the event loop stays free). */
  async verify(): Promise<{ ok: boolean; sha256: string; size: number }> {
    await this.fh!.sync();
    const h = createHash('sha256');
    let size = 0;
    for await (const b of createReadStream(this.file, { highWaterMark: 64 * 1024 })) {
      h.update(b as Buffer);
      size += (b as Buffer).length;
    }
    const sha256 = h.digest('hex');
    return { ok: sha256 === this.plan.sha256 && size === this.plan.size, sha256, size };
  }

  async close(): Promise<void> {
    await this.fh?.close();
    await this.haveFh?.close();
    this.fh = null;
    this.haveFh = null;
  }

  /** Deletes the download (after install, or a failed verification). */
  async remove(): Promise<void> {
    await this.close();
    rmSync(this.file, { force: true });
    rmSync(this.haveFile, { force: true });
  }
}
