/**
 * The narrow interfaces the console uses for devices whose operations are interactive
 * (docs/console.md §Devices not yet fitted). The LED port is built from what is on main
 * (runtime/led/console-port.ts); the touch port is
 * provided by the touch-panel service when it is fitted. Lamp, charger, pads and modem
 * are reached through the CommandRegistry instead (commands/device-call.ts), as their services
 * register `lamp.*`, `charger.*`, `pads.*` and `modem.*` there.
 */
import type { Frame } from '../../display/frame.js';

export interface LedConsolePort {
  /** Link state, panel, firmware, counters (shown by `led status`). */
  status(): Record<string, unknown>;
  /** The frame the board is known to show, or null when unknown (board reset, link down). */
  shown(): Frame | null;
  /** A round trip to the board for `selftest`; why it cannot when it cannot. */
  probe(signal: AbortSignal): Promise<{ ok: true; roundTripMs: number; detail: string } | { ok: false; reason: string }>;
  /** Test patterns the board offers; empty when its link version has none (LED link v1). */
  testPatterns(): readonly string[];
  /**
   * Shows a test pattern for `seconds`, then the normal screen again (LED link TEST_PATTERN,
   * docs/protocols/led-link.md §3.6).
   */
  testPattern?(name: string, seconds: number, signal: AbortSignal): Promise<void>;
  /** Sets the panel brightness in percent (LED link BRIGHTNESS, docs/protocols/led-link.md §3.5). */
  brightness?(percent: number): Promise<void>;
}

export interface TouchConsolePort {
  status(): Record<string, unknown>;
  /** The panel the touch layer covers, in screen pixels. */
  screenSize(): { width: number; height: number };
  /** The next press, in raw controller units (before calibration), averaged while pressed. */
  nextRawPress(signal: AbortSignal): Promise<{ x: number; y: number }>;
  /** Draws a calibration cross on the public screen, or returns the screen to normal (null). */
  showCalibrationTarget(target: { x: number; y: number; index: number; count: number } | null): void;
  /** Uses a new tslib pointercal at once. */
  applyCalibration(pointercal: readonly number[]): void;
  /** A quick check for `selftest` (e.g. controller answers its diagnostic query). */
  check?(signal: AbortSignal): Promise<{ ok: boolean; detail: string }>;
}
