import type { SerialLink } from '../../device/serial/serial-link.js';
import { LedLinkState, type LedLink } from '../../device/led/led-link.js';
import type { LedPresenter } from '../../device/led/led-presenter.js';
import type { BrightnessService } from '../screen/brightness.js';
import type { Health } from '../health.js';

/** The LED board's entry in the health registry (and so in the MQTT birth and /api/health). */
export function ledHealth(serial: SerialLink, link: LedLink, presenter: LedPresenter, brightness?: BrightnessService): Health {
  const ready = link.state === LedLinkState.Ready;
  const s = link.lastStatus;
  const degraded = ready && s !== null && (s.faults !== 0 || s.failedModules.length > 0);
  return {
    status: !ready ? 'down' : degraded ? 'degraded' : 'ok',
    detail: !ready
      ? serial.isOpen ? 'board not answering HELLO' : `serial device ${serial.path} unavailable: ${serial.stats.lastError ?? serial.state}`
      : degraded ? `board faults 0x${s!.faults.toString(16)}${s!.failedModules.length ? `, failed modules ${s!.failedModules.join(',')}` : ''}` : undefined,
    state: link.state,
    path: serial.path,
    caps: link.caps,
    board: s && { temperatureC: s.temperatureC, supplyMv: s.supplyMv, ambientLux: s.ambientLux, brightness: s.brightness, failedModules: s.failedModules, faults: s.faults, presents: s.presents, rxErrors: s.rxErrors, fecCorrected: s.fecCorrected, uptimeS: s.uptimeS },
    fec: link.fecState(),
    brightness: brightness?.state(),
    link: link.stats,
    presenter: presenter.stats,
    serial: serial.stats,
  };
}
