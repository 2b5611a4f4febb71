import { describe, expect, it } from 'vitest';
import type { PageModel } from '../../display/page-model.js';
import type { ChargingService } from '../charging/charging-service.js';
import { updateBusy } from './busy.js';

const page = (p: Record<string, unknown>) => p as unknown as PageModel;
const charger = (sessions: (object | null)[]) => ({ snapshot: () => ({ connectors: sessions.map((session, i) => ({ id: i + 1, session })) }) }) as unknown as ChargingService;

describe('updateBusy (docs/updates.md §When it waits)', () => {
  it('waits while an emergency notice is on screen, not for other notices', () => {
    expect(updateBusy(() => page({ page: 'emergency', notice: { id: 'f', priority: 'emergency' } }), null)()).toBe('an emergency notice is on screen');
    expect(updateBusy(() => page({ page: 'attract', notice: { id: 'n', priority: 'high' } }), null)()).toBeNull();
    expect(updateBusy(() => null, null)()).toBeNull();
  });

  it('waits while a connector has a charging session', () => {
    expect(updateBusy(() => null, charger([null, { transactionId: 7, state: 'active' }]))()).toBe('connector 2 is charging');
    expect(updateBusy(() => null, charger([null]))()).toBeNull();
  });
});
