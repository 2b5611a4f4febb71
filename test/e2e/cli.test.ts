/** The command line as a user meets it: bad configs, busy ports, a runtime run separately. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
