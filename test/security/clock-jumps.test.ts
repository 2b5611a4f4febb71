/**
 * Clock jumps both ways (docs/security.md §Clocks): reported; rate windows follow the monotonic
 * clock; after a forward jump the command journal is not pruned, so a redelivered command is
 * answered from the journal and never runs twice.
 */
import { describe, expect, it } from 'vitest';
import { isoWithOffset } from '../../protocols/time.js';
import { ClockWatch } from '../../runtime/clock-watch.js';
import { testLogger } from '../helpers/logger.js';
import { P, POLE, rig } from './rig.js';

const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const DAY = 86_400_000;

describe('wall-clock jumps', () => {
  it('are detected both ways and reported with their direction and size', () => {
    let wall = T0;
    let mono = 0;
    const reports: Record<string, unknown>[] = [];
    const w = new ClockWatch({ logger: testLogger(), report: (e) => reports.push(e), wall: () => wall, mono: () => mono });
    wall += 10_000; mono += 10_000;
    expect(w.check()).toBeNull();
    wall += 3 * DAY; mono += 10_000;
    expect(w.check()).toMatchObject({ direction: 'forward' });
    wall -= 3_600_000; mono += 10_000;
    expect(w.check()).toMatchObject({ direction: 'backward', ms: 3_610_000 });
    expect(reports.map((r) => r.direction)).toEqual(['forward', 'backward']);
    expect(w.pruneSafe()).toBe(false);
    mono += 26 * 3_600_000; wall += 26 * 3_600_000;
    expect(w.pruneSafe()).toBe(true);
  });

  it('a command is not run twice when the clock is put right: pruning waits after a forward jump', async () => {
    const r = rig(T0);
    let mono = 0;
    const watch = new ClockWatch({ logger: testLogger(), report: (e) => r.reporter.event(e), wall: r.now, mono: () => mono });
    const { CommandChannel } = await import('../../runtime/commands/command-channel.js');
    const { CommandRegistry } = await import('../../runtime/commands/registry.js');
    const { z } = await import('zod');
    const runs: string[] = [];
    const ch = new CommandChannel({
      db: r.db, gate: r.gate, versions: r.versions, journal: r.journal, registry: new CommandRegistry().register({ name: 'lamp.set', description: '', args: z.record(z.string(), z.unknown()), run: () => { runs.push('run'); return {}; } }),
      reporter: r.reporter, logger: r.logger, poleId: POLE, timeZone: 'Asia/Shanghai', clockSkewSec: 120, now: r.now, pruneSafe: () => watch.pruneSafe(),
    });
    const raw = Buffer.from(r.iss.seal({ type: 'cmd', id: 'c1', audience: `pole:${POLE}`, poleId: POLE, version: 1, issuedAt: isoWithOffset(T0), expiresAt: isoWithOffset(T0 + 20 * 3_600_000), name: 'lamp.set', args: { level: 0 } }));
    ch.handle(`${P}/poles/${POLE}/cmd`, raw);
    await new Promise((res) => setTimeout(res, 10));
    expect(runs).toEqual(['run']);
    // A bad time fix throws the clock three days forward; the hourly prune comes round.
    r.clock.now += 3 * DAY; mono += 1000;
    ch.start(); // start() prunes at once, as the hourly timer would
    ch.stop();
    expect(r.journal.get('test-ops', 'c1')).not.toBeNull();
    // The clock is put right; the captured command is replayed while still valid: answered from the journal, not run.
    r.clock.now = T0 + 3_600_000; mono += 1000;
    watch.check();
    ch.handle(`${P}/poles/${POLE}/cmd`, raw);
    await new Promise((res) => setTimeout(res, 10));
    expect(runs).toEqual(['run']);
    expect(r.sent().filter((m) => m.type === 'event').map((m) => m.code)).toContain('SP_CLOCK_JUMP');
  });
});
