/** The command line as a user meets it: bad configs, busy ports, a runtime run separately. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePng } from '../helpers/png.js';
import { CLI, requireBuild, runCli, startSimProcess, until, type SimProcess } from '../helpers/sim-process.js';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

describe('smartpole CLI', () => {
  it('refuses a bad config with the field path and exit status 78', () => {
    requireBuild();
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const file = join(dir, 'pole.yaml');
    writeFileSync(file, readFileSync(join(import.meta.dirname, '../../config/example.yaml'), 'utf8').replace('lat: 30.6043', 'lat: 300'));
    const r = runCli(['run', '--config', file], dir);
    expect(r.code).toBe(78);
    expect(r.out).toMatch(/pole\.location\.lat/);
  });

  it('says so plainly and takes a free port when the default ones are busy', async () => {
    const hold = (port: number) => new Promise<Server | null>((res) => {
      const s = createServer();
      s.once('error', () => res(null)); // already taken by something else: good enough
      s.listen(port, '127.0.0.1', () => res(s));
    });
    const a = await hold(1883);
    const b = await hold(8080);
    cleanups.push(() => { a?.close(); b?.close(); });
    const dataDir = mkdtempSync(join(tmpdir(), 'sp-busy-'));
    const proc = spawn(process.execPath, [CLI, 'sim', '--data-dir', dataDir, '--pty-dir', join(dataDir, 'pty'), '--in-process-serial'], { cwd: dataDir });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    proc.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    cleanups.push(() => new Promise((r) => { if (proc.exitCode !== null) return r(null); proc.once('exit', r); proc.kill('SIGINT'); }));
    await until(() => /web viewer/.test(out), 15_000, 'sim banner');
    expect(out).toMatch(/MQTT broker: port 1883 is already in use.*using free port \d+/);
    expect(out).toMatch(/web viewer: port 8080 is already in use.*using free port \d+/);
  });

  it('runs the runtime as its own process against --hardware-only sim devices', async () => {
    const sim: SimProcess = await startSimProcess(['--hardware-only']);
    cleanups.push(() => sim.stop());
    const cfg = join(sim.dataDir, 'pole.yaml');
    const rt = spawn(process.execPath, [CLI, 'run', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    rt.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
    const exited = new Promise<number | null>((r) => rt.once('exit', r));
    cleanups.push(() => { if (rt.exitCode === null) rt.kill('SIGKILL'); });
    await until(async () => (await sim.api<{ name: string; state: { presents: number } }[]>('/api/devices'))[0]!.state.presents > 0, 15_000, 'board to present a frame');
    rt.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = log.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; device?: string; service?: string });
    expect(lines.some((l) => l.msg === 'pole stopped')).toBe(true);
    expect(lines.filter((l) => l.msg !== 'pole started' && l.msg !== 'pole stopped' && l.msg !== 'stopping').every((l) => l.device || l.service)).toBe(true);
  });

  it('runs a panel of another resolution (--screen): the board, the glass and the runtime agree', async () => {
    const sim = await startSimProcess(['--screen', '600x1024', '--no-modem']);
    cleanups.push(() => sim.stop());
    const png = await decodePng(await sim.png());
    expect([png.width, png.height]).toEqual([600, 1024]);
    await until(async () => (await sim.api<{ page: string }>('/api/page')).page === 'attract', 15_000, 'attract page');
    // A tap in the middle of the bigger glass wakes the screen; one on the charging tile opens it.
    await sim.api('/api/touch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 300, y: 512, action: 'tap' }) });
    const home = await until(async () => { const p = await sim.api<{ page: string; hits: { id: string; rect: { x: number; y: number; w: number; h: number } }[] }>('/api/page'); return p.page === 'home' ? p : null; }, 15_000, 'home page');
    const tile = home.hits.find((h) => h.id === 'tile:charging')!.rect;
    expect(tile.x + tile.w).toBeGreaterThan(480); // laid out for 600 px, not 480
    await sim.api('/api/touch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: Math.round(tile.x + tile.w / 2), y: Math.round(tile.y + tile.h / 2), action: 'tap' }) });
    await until(async () => (await sim.api<{ page: string }>('/api/page')).page === 'charging', 15_000, 'charging page');
    await expect(sim.api('/api/touch', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ x: 700, y: 100, action: 'tap' }) })).rejects.toThrow(/HTTP 400/);
  });
});
