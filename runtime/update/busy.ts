/**
 * Why an update must wait now (docs/updates.md §When it waits): an emergency notice on the screen,
 * or a car charging. The restart of a switch blanks the screen for a moment and restarts the field
 * bus master; neither may happen then.
 */
import type { PageModel } from '../../display/page-model.js';
import { noticeOnScreen } from '../../display/page-model.js';
import type { ChargingService } from '../charging/charging-service.js';

export function updateBusy(page: () => PageModel | null, charging: ChargingService | null): () => string | null {
  return () => {
    if (noticeOnScreen(page())?.priority === 'emergency') return 'an emergency notice is on screen';
    const active = charging?.snapshot().connectors.find((c) => c.session !== null);
    return active ? `connector ${active.id} is charging` : null;
  };
}
