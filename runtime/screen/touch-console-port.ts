/**
 * The touch panel as the technician console sees it (runtime/console/device-ports.ts
 * TouchConsolePort, the console's `touch status | calibrate`): status, raw presses for the 5-point
 * calibration, the calibration cross on the public screen, and applying a new pointercal at once.
 */
import type { TouchPanel } from '../../device/touch/touch-panel.js';
import type { EgalaxPacket } from '../../protocols/touch/egalax.js';
import type { Calibration } from '../../protocols/touch/calibration.js';
import type { TouchConsolePort } from '../console/device-ports.js';
import type { ScreenService } from './screen-service.js';

export function touchConsolePort(panel: TouchPanel, screen: ScreenService, size: { width: number; height: number }): TouchConsolePort {
  return {
    status: () => ({
      state: panel.state, path: panel.serial.path, open: panel.serial.isOpen, calibration: [...panel.calibration],
      ...panel.stats, serial: { bytesIn: panel.serial.stats.bytesIn, disconnects: panel.serial.stats.disconnects, lastError: panel.serial.stats.lastError },
    }),
    screenSize: () => ({ ...size }),
    nextRawPress: (signal) => new Promise((resolve, reject) => {
      // Average every touching packet of one press; the release ends it.
      let n = 0, sx = 0, sy = 0;
      const onRaw = (p: EgalaxPacket) => {
        if (p.touching) { n++; sx += p.x; sy += p.y; return; }
        if (n === 0) return;
        done();
        resolve({ x: Math.round(sx / n), y: Math.round(sy / n) });
      };
      const onAbort = () => { done(); reject(signal.reason ?? new Error('aborted')); };
      const done = () => { panel.off('raw', onRaw); signal.removeEventListener('abort', onAbort); };
      if (signal.aborted) return onAbort();
      panel.on('raw', onRaw);
      signal.addEventListener('abort', onAbort);
    }),
    showCalibrationTarget: (target) => screen.showCalibration(target),
    applyCalibration: (pointercal) => panel.setCalibration(pointercal as unknown as Calibration),
    check: async () => ({
      ok: panel.serial.isOpen,
      detail: panel.serial.isOpen
        ? `serial device open; ${panel.stats.packets} packets, ${panel.stats.unsynchronizedBytes} stray bytes (the eGalax protocol has no heartbeat)`
        : `serial device ${panel.serial.path} unavailable: ${panel.serial.stats.lastError ?? panel.serial.state}`,
    }),
  };
}
