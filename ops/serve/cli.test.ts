import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initAdmin } from './cli.js';
import { UserStore } from './auth/users.js';
import { openOpsStore } from './store.js';
import { CORE_MIGRATIONS } from './core/migrations.js';

const CHEAP = { N: 1 << 10, r: 8, p: 1 };

describe('the first administrator (--init-admin)', () => {
  it('takes the password from a file, else the environment, else writes a random one (0600); never changes an existing user', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ops-init-'));
    try {
      const users = new UserStore(openOpsStore(':memory:', CORE_MIGRATIONS), Date.now, undefined, CHEAP);
      const file = join(dir, 'pw');
      writeFileSync(file, 'from the file 123\nignored\n');
      expect(await initAdmin(users, 'root', { passwordFile: file, dbFile: join(dir, 'ops.db') })).toMatch(/created administrator root/);
      expect((await users.login('root', 'from the file 123')).ok).toBe(true);
      expect(await initAdmin(users, 'root', { env: 'another password', dbFile: join(dir, 'ops.db') })).toMatch(/exists already/);
      expect((await users.login('root', 'from the file 123')).ok).toBe(true);
      await initAdmin(users, 'envadmin', { env: 'from the environment', dbFile: join(dir, 'ops.db') });
      expect((await users.login('envadmin', 'from the environment')).ok).toBe(true);
      const line = await initAdmin(users, 'gen', { dbFile: join(dir, 'ops.db') });
      const written = join(dir, 'ops-admin-password');
      const pw = readFileSync(written, 'utf8').trim();
      expect(line).not.toContain(pw);
      expect(statSync(written).mode & 0o777).toBe(0o600);
      expect(users.byName('gen')?.role).toBe('administrator');
      expect((await users.login('gen', pw)).ok).toBe(true);
      await expect(initAdmin(users, 'weak', { env: 'short', dbFile: join(dir, 'ops.db') })).rejects.toMatchObject({ code: 'SP_SERVE_WEAK_PASSWORD' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
