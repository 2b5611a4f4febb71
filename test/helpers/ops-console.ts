/** Runs `smartpole ops serve` (the built CLI) as a child process, and logs users in with Chromium (docs/ops-console.md). */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CLI, requireBuild } from './sim-process.js';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const ADMIN = { username: 'admin', password: 'admin-password-123' };

export interface OpsConsole {
  proc: ChildProcess;
  url: string;
  dir: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** `args` name the broker and key (`--data-dir <sim>` or `--mqtt-url … --key …`); the first administrator is ADMIN. */
export async function startOpsConsole(args: string[]): Promise<OpsConsole> {
  requireBuild();
  const dir = mkdtempSync(join(tmpdir(), 'sp-ops-'));
  writeFileSync(join(dir, 'admin-password'), `${ADMIN.password}\n`, { mode: 0o600 });
  const proc = spawn(process.execPath, [CLI, 'ops', 'serve', '--http-port', '0', '--db', join(dir, 'ops.db'), '--init-admin', ADMIN.username, '--admin-password-file', join(dir, 'admin-password'), ...args], {
    cwd: dir, env: { ...process.env, SMARTPOLE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  proc.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`ops serve did not start:\n${out}`)), 30_000);
    const check = () => { const m = /ops console\s+(http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); res(m[1]!.replace(/\/$/, '')); } };
    proc.stdout!.on('data', check);
    proc.once('exit', (c) => { clearTimeout(timer); rej(new Error(`ops serve exited ${c}:\n${out}`)); });
  });
  proc.removeAllListeners('exit');
  return {
    proc, url, dir, output: () => out,
    stop: () => new Promise((r) => {
      if (proc.exitCode !== null) return r(proc.exitCode);
      proc.once('exit', (code) => r(code));
      proc.kill('SIGTERM');
    }),
  };
}

/** A new browser context logged in as `user` (its own cookies: two operators side by side). */
export async function loginAs(browser: Browser, consoleUrl: string, user: { username: string; password: string }): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(30_000);
  await page.goto(`${consoleUrl}/login`);
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('#login-form button[type=submit]')]);
  return page;
}

/** The administrator adds a user on the Users page. */
export async function addUser(admin: Page, consoleUrl: string, u: { username: string; password: string; role: 'editor' | 'approver' | 'administrator' }): Promise<void> {
  await admin.goto(`${consoleUrl}/users`);
  await admin.fill('#nu-username', u.username);
  await admin.fill('#nu-name', u.username);
  await admin.selectOption('#nu-role', u.role);
  await admin.fill('#nu-pw', u.password);
  await Promise.all([admin.waitForLoadState('load'), admin.click('#add-user button[type=submit]')]);
}
