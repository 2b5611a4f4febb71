import type { SerialLink } from '../device/serial/serial-link.js';
import { LedLinkState, type LedLink } from '../device/led/led-link.js';
import type { LedPresenter } from '../device/led/led-presenter.js';
import type { Health } from './health.js';

export function ledHealth(serial: SerialLink, link: LedLink, presenter: LedPresenter): Health {
  const ready = link.state === LedLinkState.Ready;
  return {
    status: ready ? 'ok' : 'down',
    detail: ready ? undefined : serial.isOpen ? 'board not answering HELLO' : `serial device ${serial.path} unavailable: ${serial.stats.lastError ?? serial.state}`,
    state: link.state,
    path: serial.path,
    caps: link.caps,
    link: link.stats,
    presenter: presenter.stats,
    serial: serial.stats,
  };
}
