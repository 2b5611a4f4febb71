/**
 * `smartpole ops serve` as a separate process (dist/smartpole.js), and a small HTTP client that
 * uses it as a browser does: login form, CSRF token from the page, preview then send (docs/ops-console.md).
 * Shared by the 200-pole integration test and the ops-console bench.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../runtime/version.js';

export interface OpsServeProcess {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** Resident set size (kB) from /proc. */
  rssKb(): number;
  /** CPU time used so far (user + system, ms) from /proc. */
  cpuMs(): number;
  stop(): Promise<number | null>;
}

export async function startOpsServeProcess(o: { mqttUrl: string; keyFile: string; dir: string; adminPassword: string; nodeArgs?: string[]; extraArgs?: string[] }): Promise<OpsServeProcess> {
  const pwFile = join(o.dir, 'admin-password');
  writeFileSync(pwFile, `${o.adminPassword}\n`, { mode: 0o600 });
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), join(packageRoot(), 'dist', 'smartpole.js'), 'ops', 'serve', '--mqtt-url', o.mqttUrl, '--key', o.keyFile,
    '--db', join(o.dir, 'ops-console.db'), '--http-port', '0', '--init-admin', 'admin', '--admin-password-file', pwFile, ...(o.extraArgs ?? [])], { cwd: o.dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SMARTPOLE_LOG_LEVEL: 'warn' } });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`ops serve did not start:\n${out}`)), 30_000);
    const check = () => { const m = /ops console\s+(http:\/\/\S+)/.exec(out); if (m) { clearTimeout(t); resolve(m[1]!); } };
    proc.stdout!.on('data', check);
    proc.once('exit', (c) => { clearTimeout(t); reject(new Error(`ops serve exited ${c}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    url, proc, output: () => out,
    rssKb: () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? NaN),
    // Fields 14 and 15 of /proc/<pid>/stat (after the command name in parentheses), in clock ticks of 10 ms.
    cpuMs: () => readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1]!.split(' ').slice(11, 13).reduce((a, x) => a + Number(x), 0) * 10,
    stop: () => new Promise((r) => {
      if (proc.exitCode !== null) { r(proc.exitCode); return; }
      proc.once('exit', (c) => r(c));
      proc.kill('SIGTERM');
    }),
  };
}

/** A logged-in browser, without the browser: cookies, the page's CSRF token, forms. */
export class ConsoleClient {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly url: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(path: string, init: { method?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; location: string | null }> {
    const body = init.form ? new URLSearchParams(Object.entries(init.form).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]]))).toString() : undefined;
    const r = await fetch(this.url + path, {
      method: init.method ?? (body ? 'POST' : 'GET'), redirect: 'manual', body,
      headers: { cookie: this.cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...init.headers },
    });
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const eq = kv!.indexOf('=');
      const v = kv!.slice(eq + 1);
      if (v) this.cookies.set(kv!.slice(0, eq), v); else this.cookies.delete(kv!.slice(0, eq));
    }
    const text = await r.text();
    const token = /name="csrf-token" content="([^"]+)"/.exec(text)?.[1] ?? /name="_csrf" value="([^"]+)"/.exec(text)?.[1];
    if (token) this.csrf = token;
    return { status: r.status, text, location: r.headers.get('location') };
  }

  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) {
    return this.request(path, { form: { _csrf: this.csrf, ...form }, headers });
  }

  async login(username: string, password: string): Promise<number> {
    await this.request('/login');
    return (await this.post('/login', { username, password })).status;
  }

  async json<T>(path: string): Promise<T> {
    const r = await this.request(path, { headers: { accept: 'application/json' } });
    if (r.status !== 200) throw new Error(`${path}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    return JSON.parse(r.text) as T;
  }

  /** Preview, then send what was previewed; returns the notice id. */
  async sendNotice(form: Record<string, string | string[]>): Promise<string> {
    await this.request('/notices/new');
    const p = await this.post('/notices/preview', form);
    const digest = /name="digest" value="([^"]+)"/.exec(p.text)?.[1];
    if (!digest) throw new Error(`no preview (HTTP ${p.status}): ${/role="alert"[\s\S]{0,400}/.exec(p.text)?.[0] ?? p.text.slice(0, 300)}`);
    const s = await this.post('/notices', { ...form, digest });
    if (s.status !== 303 || !s.location) throw new Error(`send refused: HTTP ${s.status} ${/role="alert"[\s\S]{0,400}/.exec(s.text)?.[0] ?? ''}`);
    return decodeURIComponent(s.location.split('/').pop()!);
  }
}

export interface BoardCounts { pending: number; accepted: number; displayed: number; refused: number; ignored: number; withdrawn: number; expired: number; total: number }
