/**
 * Console users: roles, password login with lockout (docs/ops-console.md §Users). Roles are
 * ranked: an approver may do what an editor may, an administrator what an approver may.
 */
import type { OpsDb } from '../store.js';
import { dummyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword, type ScryptCost } from './passwords.js';
import { serveError } from '../errors.js';

export const ROLES = ['editor', 'approver', 'administrator'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_RANK: Record<Role, number> = { editor: 1, approver: 2, administrator: 3 };
export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  editor: { zh: '编辑', en: 'Editor' }, approver: { zh: '审批人', en: 'Approver' }, administrator: { zh: '管理员', en: 'Administrator' },
};

export function hasRole(user: { role: Role }, need: Role): boolean {
  return ROLE_RANK[user.role] >= ROLE_RANK[need];
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  department: string | null;
  disabled: boolean;
}

interface UserRow {
  id: number; username: string; display_name: string; role: Role; department: string | null;
  password_hash: string; failed_logins: number; locked_until: number; disabled: number;
}

export interface LockoutPolicy {
  /** Failed logins in a row before the account locks. */
  maxFailures: number;
  /** First lock length; each further failure while counting doubles it, up to maxLockMs. */
  lockMs: number;
  maxLockMs: number;
}
export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000, maxLockMs: 24 * 3600_000 };

export type LoginResult = { ok: true; user: User } | { ok: false; code: 'SP_SERVE_LOGIN_FAILED' | 'SP_SERVE_LOCKED'; retryAfterMs?: number; username: string };

const toUser = (r: UserRow): User => ({ id: r.id, username: r.username, displayName: r.display_name, role: r.role, department: r.department, disabled: r.disabled === 1 });

export class UserStore {
  constructor(private readonly db: OpsDb, private readonly now: () => number = Date.now, private readonly lockout: LockoutPolicy = DEFAULT_LOCKOUT, private readonly cost?: ScryptCost) {}

  count(): number {
    return this.db.prepare('SELECT count(*) FROM users WHERE disabled = 0').pluck().get() as number;
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(toUser);
  }

  byId(id: number): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  byName(username: string): User | null {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return r ? toUser(r) : null;
  }

  async create(u: { username: string; displayName?: string; role: Role; password: string; department?: string | null }): Promise<User> {
    if (!/^[A-Za-z0-9._@-]{2,64}$/.test(u.username)) throw serveError('SP_SERVE_BAD_REQUEST', { field: 'username' }, { message: 'user name: 2–64 letters, digits, . _ @ -' });
    if (!ROLES.includes(u.role)) throw serveError('SP_SERVE_BAD_REQUEST', { field: 'role' });
    if (u.password.length < MIN_PASSWORD_LENGTH) throw serveError('SP_SERVE_WEAK_PASSWORD');
    const hash = await hashPassword(u.password, this.cost);
    const id = this.db.prepare('INSERT INTO users (username, display_name, role, department, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(u.username, u.displayName ?? u.username, u.role, u.department ?? null, hash, new Date(this.now()).toISOString()).lastInsertRowid;
    return this.byId(Number(id))!;
  }

  async setPassword(id: number, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD_LENGTH) throw serveError('SP_SERVE_WEAK_PASSWORD');
    this.db.prepare('UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = 0 WHERE id = ?').run(await hashPassword(password, this.cost), id);
  }

  setRole(id: number, role: Role): void {
    this.db.prepare('UPDATE users SET role = ? WHERE id = ?').run(role, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.db.prepare('UPDATE users SET disabled = ? WHERE id = ?').run(disabled ? 1 : 0, id);
  }

  /**
   * Checks a login. Unknown names cost the same scrypt time as known ones and get the same answer;
   * a locked account is refused without checking the password (so guessing does not continue
   * during the lock); the counter resets on success.
   */
  async login(username: string, password: string): Promise<LoginResult> {
    const r = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    const now = this.now();
    if (!r || r.disabled) {
      await verifyPassword(password, await dummyHash());
      return { ok: false, code: 'SP_SERVE_LOGIN_FAILED', username };
    }
    if (r.locked_until > now) return { ok: false, code: 'SP_SERVE_LOCKED', retryAfterMs: r.locked_until - now, username: r.username };
    if (await verifyPassword(password, r.password_hash)) {
      this.db.prepare('UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?').run(r.id);
      return { ok: true, user: toUser(r) };
    }
    const failures = r.failed_logins + 1;
    const over = failures - this.lockout.maxFailures;
    const lockMs = over >= 0 ? Math.min(this.lockout.maxLockMs, this.lockout.lockMs * 2 ** over) : 0;
    this.db.prepare('UPDATE users SET failed_logins = ?, locked_until = ? WHERE id = ?').run(failures, lockMs ? now + lockMs : 0, r.id);
    return lockMs
      ? { ok: false, code: 'SP_SERVE_LOCKED', retryAfterMs: lockMs, username: r.username }
      : { ok: false, code: 'SP_SERVE_LOGIN_FAILED', username: r.username };
  }

  unlock(id: number): void {
    this.db.prepare('UPDATE users SET failed_logins = 0, locked_until = 0 WHERE id = ?').run(id);
  }
}
