import { describe, expect, it } from 'vitest';
import { mkdtempSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decideBoot, emptyBootState, pointCurrent, readBootState, writeBootState, currentLink, type BootState } from './boot-state.js';

const trialState = (over: Partial<NonNullable<BootState['trial']>> = {}): BootState => ({
  ...emptyBootState(), current: '0.1.0', previous: null,
  trial: { release: '0.2.0', from: '0.1.0', switchedAt: 1000, deadline: 61_000, attempts: 0, maxAttempts: 3, ...over },
});

describe('decideBoot (boot attempts and the gate deadline)', () => {
  it('runs the committed release when nothing is on trial', () => {
    expect(decideBoot(emptyBootState(), 0)).toMatchObject({ action: 'run', release: 'base', trial: null });
  });

  it('counts an attempt per start of a trial release', () => {
    const d = decideBoot(trialState(), 2000);
    expect(d).toMatchObject({ action: 'run', release: '0.2.0' });
    expect(d.state.trial!.attempts).toBe(1);
  });

  it('rolls back once the attempts are used up, and remembers the release as failed', () => {
    const d = decideBoot(trialState({ attempts: 3 }), 2000);
    expect(d).toMatchObject({ action: 'rollback', release: '0.1.0' });
    expect(d.state).toMatchObject({ current: '0.1.0', trial: null, failed: ['0.2.0'], rolledBack: { release: '0.2.0', reported: false } });
    expect((d as { reason: string }).reason).toMatch(/crash-loop/);
  });

  it('rolls back a trial whose deadline has passed', () => {
    const d = decideBoot(trialState({ attempts: 1 }), 70_000);
    expect(d.action).toBe('rollback');
    expect((d as { reason: string }).reason).toMatch(/not healthy within the gate \(60 s\)/);
  });
});

describe('boot state file and current link', () => {
  it('round-trips atomically and repoints the link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sp-boot-'));
    expect(readBootState(dir)).toEqual(emptyBootState());
    writeBootState(dir, trialState());
    expect(readBootState(dir).trial?.release).toBe('0.2.0');
    pointCurrent(dir, '0.2.0');
    expect(readlinkSync(join(dir, 'current'))).toBe('releases/0.2.0');
    expect(currentLink(dir)).toBe('0.2.0');
    pointCurrent(dir, 'base');
    expect(currentLink(dir)).toBe('base');
  });
});
