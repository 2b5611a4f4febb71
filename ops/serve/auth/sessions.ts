/**
 * Login sessions (docs/ops-console.md §Users): a random 256-bit token in an HttpOnly, SameSite=Strict
 * cookie; the store keeps only its SHA-256, so a copy of the database logs nobody in. Each session has
 * its own CSRF token. Sessions end after `idleMs` without a request or `maxMs` after login.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OpsDb } from '../store.js';

export const SESSION_COOKIE = 'sp_ops_session';

export interface Session {
  tokenHash: string;
  userId: number;
  csrf: string;
  createdAt: number;
  lastSeen: number;
}

export interface SessionPolicy { idleMs: number; maxMs: number }
export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, maxMs: 12 * 3600_000 };

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}

export class SessionStore {
  constructor(private readonly db: OpsDb, private readonly now: () => number = Date.now, private readonly policy: SessionPolicy = DEFAULT_SESSION_POLICY) {}

  /** Starts a session; returns the cookie value (never stored) and the session. */
  create(userId: number, ip: string | undefined): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    const session: Session = { tokenHash: hashToken(token), userId, csrf: randomBytes(24).toString('base64url'), createdAt: now, lastSeen: now };
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen, ip) VALUES (?, ?, ?, ?, ?, ?)')
      .run(session.tokenHash, userId, session.csrf, now, now, ip ?? null);
    return { token, session };
  }

  /** The live session for a cookie value, touched; null when unknown or ended (an ended one is deleted). */
  get(token: string | undefined): Session | null {
    if (!token || token.length > 100) return null;
    const h = hashToken(token);
    const r = this.db.prepare('SELECT token_hash, user_id, csrf, created_at, last_seen FROM sessions WHERE token_hash = ?').get(h) as
      { token_hash: string; user_id: number; csrf: string; created_at: number; last_seen: number } | undefined;
    if (!r) return null;
    const now = this.now();
    if (now - r.last_seen > this.policy.idleMs || now - r.created_at > this.policy.maxMs) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(h);
      return null;
    }
    // Touch at most every 10 s: a live page polling the server must not write on every request.
    if (now - r.last_seen > 10_000) this.db.prepare('UPDATE sessions SET last_seen = ? WHERE token_hash = ?').run(now, h);
    return { tokenHash: h, userId: r.user_id, csrf: r.csrf, createdAt: r.created_at, lastSeen: now };
  }

  end(tokenHash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash);
  }

  endAllFor(userId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  prune(): number {
    const now = this.now();
    return this.db.prepare('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?').run(now - this.policy.idleMs, now - this.policy.maxMs).changes;
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const k = part.slice(0, eq).trim();
    if (!(k in out)) out[k] = part.slice(eq + 1).trim();
  }
  return out;
}

export function sessionCookie(token: string, secure: boolean, maxAgeSec: number): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSec}${secure ? '; Secure' : ''}`;
}
