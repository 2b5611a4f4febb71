import type { TouchPanel } from '../../device/touch/touch-panel.js';
import type { Health } from '../health.js';

/**
 * The eGalax serial protocol has no heartbeat: the controller only speaks when touched, so an open
 * port is as much as the pole can know. Packet statistics tell a technician whether it reports.
 */
export function touchHealth(panel: TouchPanel): Health {
  const s = panel.serial;
  return {
    status: s.isOpen ? 'ok' : 'down',
    detail: s.isOpen ? undefined : `serial device ${s.path} unavailable: ${s.stats.lastError ?? s.state}`,
    state: panel.state,
    path: s.path,
    touch: panel.stats,
    serial: s.stats,
  };
}
