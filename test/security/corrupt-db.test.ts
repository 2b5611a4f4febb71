import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOrRecover, reportRecovery } from '../../runtime/storage/recover.js';
import { testLogger } from '../helpers/logger.js';

describe('a corrupt database at start', () => {
  it('is moved aside, a clean one opens, and the alarm says where the old one went', () => {
    const dir = mkdtempSync(join(tmpdir(), 'db-'));
    const file = join(dir, 'pole.db');
    writeFileSync(file, Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(4096, 0xa5)]));
    const { db, recovered } = openOrRecover(file, testLogger(), () => Date.parse('2026-11-26T02:00:00Z'));
    expect(recovered?.movedTo).toBe(`${file}.corrupt-2026-11-26T020000.000Z`);
    expect(existsSync(recovered!.movedTo)).toBe(true);
    expect(db.prepare('SELECT count(*) FROM message_versions').pluck().get()).toBe(0);
    const events: { code: string }[] = [];
    reportRecovery((e) => events.push(e), recovered);
    expect(events).toMatchObject([{ code: 'SP_STORAGE_CORRUPT', severity: 'alarm' }]);
    db.close();
    // A healthy database opens as it is.
    const again = openOrRecover(file, testLogger());
    expect(again.recovered).toBeNull();
    again.db.close();
    expect(readdirSync(dir).filter((f) => f.includes('corrupt'))).toHaveLength(1);
  });
});
