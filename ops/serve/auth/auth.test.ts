import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hashPassword, verifyPassword } from './passwords.js';
import { UserStore } from './users.js';
import { SessionStore, parseCookies, sameSecret } from './sessions.js';
import { openOpsStore } from '../store.js';
import { CORE_MIGRATIONS } from '../core/migrations.js';

const CHEAP = { N: 1 << 10, r: 8, p: 1 };

describe('passwords (scrypt)', () => {
  it('verifies the right password and refuses others', async () => {
    const h = await hashPassword('correct horse battery', CHEAP);
    expect(h).toMatch(/^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse battery', h)).toBe(true);
    expect(await verifyPassword('correct horse batterY', h)).toBe(false);
    expect(await hashPassword('correct horse battery', CHEAP)).not.toBe(h); // salted
  });
  it('never throws on a malformed stored hash', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200 }), async (s) => {
      expect(await verifyPassword('x', s)).toBe(false);
    }), { numRuns: 200 });
    expect(await verifyPassword('x', 'scrypt$1048577$8$1$AAAA$AAAA')).toBe(false);
  });
});

describe('users: login and lockout', () => {
  const setup = () => {
    let t = 1_000_000;
    const db = openOpsStore(':memory:', CORE_MIGRATIONS);
    const users = new UserStore(db, () => t, { maxFailures: 3, lockMs: 60_000, maxLockMs: 600_000 }, CHEAP);
    return { users, advance: (ms: number) => { t += ms; } };
  };
  it('logs in with the right password, refuses a wrong one and an unknown user alike', async () => {
    const { users } = setup();
    await users.create({ username: 'wang', role: 'editor', password: 'twelve chars ok' });
    expect((await users.login('wang', 'twelve chars ok')).ok).toBe(true);
    expect(await users.login('wang', 'nope')).toMatchObject({ ok: false, code: 'SP_SERVE_LOGIN_FAILED' });
    expect(await users.login('nobody', 'nope')).toMatchObject({ ok: false, code: 'SP_SERVE_LOGIN_FAILED' });
    expect(users.byName('WANG')?.username).toBe('wang'); // names are case-insensitive
  });
  it('locks after maxFailures, refuses even the right password while locked, doubles the lock, resets on success', async () => {
    const { users, advance } = setup();
    await users.create({ username: 'li', role: 'approver', password: 'twelve chars ok' });
    expect((await users.login('li', 'bad1')).ok).toBe(false);
    expect((await users.login('li', 'bad2')).ok).toBe(false);
    expect(await users.login('li', 'bad3')).toMatchObject({ code: 'SP_SERVE_LOCKED', retryAfterMs: 60_000 });
    expect(await users.login('li', 'twelve chars ok')).toMatchObject({ ok: false, code: 'SP_SERVE_LOCKED' });
    advance(60_001);
    expect(await users.login('li', 'bad4')).toMatchObject({ code: 'SP_SERVE_LOCKED', retryAfterMs: 120_000 });
    advance(120_001);
    expect((await users.login('li', 'twelve chars ok')).ok).toBe(true);
    expect(await users.login('li', 'bad5')).toMatchObject({ code: 'SP_SERVE_LOGIN_FAILED' });
  });
  it('refuses short passwords and bad names', async () => {
    const { users } = setup();
    await expect(users.create({ username: 'a b', role: 'editor', password: 'twelve chars ok' })).rejects.toMatchObject({ code: 'SP_SERVE_BAD_REQUEST' });
    await expect(users.create({ username: 'ab', role: 'editor', password: 'short' })).rejects.toMatchObject({ code: 'SP_SERVE_WEAK_PASSWORD' });
  });
  it('a disabled user cannot log in', async () => {
    const { users } = setup();
    const u = await users.create({ username: 'zhao', role: 'editor', password: 'twelve chars ok' });
    users.setDisabled(u.id, true);
    expect(await users.login('zhao', 'twelve chars ok')).toMatchObject({ ok: false, code: 'SP_SERVE_LOGIN_FAILED' });
  });
});

describe('sessions', () => {
  it('stores only a hash, ends on idle and on max age, has its own CSRF token', async () => {
    let t = 0;
    const db = openOpsStore(':memory:', CORE_MIGRATIONS);
    const users = new UserStore(db, () => t, undefined, CHEAP);
    const u = await users.create({ username: 'sun', role: 'editor', password: 'twelve chars ok' });
    const s = new SessionStore(db, () => t, { idleMs: 1000, maxMs: 5000 });
    const { token, session } = s.create(u.id, '127.0.0.1');
    expect(db.prepare('SELECT count(*) FROM sessions WHERE token_hash = ?').pluck().get(token)).toBe(0);
    expect(s.get(token)?.csrf).toBe(session.csrf);
    expect(s.get('forged')).toBeNull();
    t = 900; expect(s.get(token)).not.toBeNull();
    t = 1900; expect(s.get(token)).toBeNull(); // idle: the 10 s touch rule means last_seen stayed at 0
    const b = s.create(u.id, undefined);
    for (t = 2000; t < 7500; t += 500) s.get(b.token);
    expect(s.get(b.token)).toBeNull(); // max age
    const c = s.create(u.id, undefined);
    s.endAllFor(u.id);
    expect(s.get(c.token)).toBeNull();
  });
  it('CSRF comparison is exact and refuses empty tokens', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('', '')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
  });
  it('parses cookie headers; never throws on any header', () => {
    expect(parseCookies('a=1; sp_ops_session=xyz; a=2')).toEqual({ a: '1', sp_ops_session: 'xyz' });
    fc.assert(fc.property(fc.string(), (h) => { parseCookies(h); }));
  });
});
