/**
 * The console's view of the LED board over LED link v2 (docs/protocols/led-link.md). The selftest
 * probe is a STATUS_REQ: a real round trip that never touches the picture (a PRESENT could swap in
 * a back buffer the presenter is half-way through filling). Test patterns and brightness use the
 * TEST_PATTERN and BRIGHTNESS messages; brightness goes through the BrightnessService as an
 * operator override, so the automatic curve does not undo it.
 */
import { LedLinkState, type LedLink } from '../../device/led/led-link.js';
import type { LedPresenter } from '../../device/led/led-presenter.js';
import type { SerialLink } from '../../device/serial/serial-link.js';
import { Feature, MsgType, PixelFormat, TestPattern, encodeBrightness, encodeTestPattern } from '../../protocols/led-link/messages.js';
import type { BrightnessService } from '../screen/brightness.js';
import { formatCount } from '../../protocols/console/units.js';
import type { LedConsolePort } from '../console/device-ports.js';

const PATTERNS: Record<string, { pattern: number; r?: number; g?: number; b?: number; param?: number }> = {
  red: { pattern: TestPattern.SOLID, r: 255 }, green: { pattern: TestPattern.SOLID, g: 255 }, blue: { pattern: TestPattern.SOLID, b: 255 },
  white: { pattern: TestPattern.SOLID, r: 255, g: 255, b: 255 }, black: { pattern: TestPattern.SOLID },
  'grey-ramp': { pattern: TestPattern.GREY_RAMP }, grid: { pattern: TestPattern.GRID, param: 16 }, 'module-id': { pattern: TestPattern.MODULE_ID },
};

export function ledConsolePort(serial: SerialLink, link: LedLink, presenter: LedPresenter, brightness?: BrightnessService): LedConsolePort {
  const pattern = (name: string) => {
    const p = PATTERNS[name] ?? { pattern: TestPattern.OFF };
    return encodeTestPattern({ pattern: p.pattern as TestPattern, r: p.r ?? 0, g: p.g ?? 0, b: p.b ?? 0, param: p.param ?? 0 });
  };

  return {
    status() {
      const caps = link.caps;
      return {
        state: link.state,
        path: serial.path,
        serialState: serial.state,
        panel: caps ? { width: caps.width, height: caps.height, pixelFormat: caps.pixelFormat === PixelFormat.RGB565 ? 'RGB565' : 'RGB888', maxPayloadBytes: caps.maxPayload } : null,
        firmware: caps?.firmware ?? null,
        presenter: { ...presenter.stats },
        link: { ...link.stats },
        serial: { ...serial.stats },
      };
    },
    shown: () => presenter.shown,
    async probe(signal) {
      if (link.state !== LedLinkState.Ready) {
        return { ok: false, reason: serial.isOpen ? `the board does not answer HELLO on ${serial.path} (powered? right port?)` : `serial device ${serial.path} unavailable: ${serial.stats.lastError ?? serial.state} — check the cable to the driver board` };
      }
      const caps = link.caps!;
      const what = `${caps.width}x${caps.height}, firmware ${caps.firmware || 'unknown'}`;
      const t0 = performance.now();
      await Promise.race([
        link.send(MsgType.STATUS_REQ, new Uint8Array(0)),
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true })),
      ]);
      const ms = performance.now() - t0;
      return { ok: true, roundTripMs: ms, detail: `board acknowledged in ${ms < 1 ? '<1' : Math.round(ms)} ms (${what}; ${formatCount(presenter.stats.presented, 'frame')} presented, ${formatCount(link.stats.retransmits, 'retransmit')} so far)` };
    },
    testPatterns: () => (link.caps && link.caps.features & Feature.TEST_PATTERNS ? Object.keys(PATTERNS) : []),
    async testPattern(name, seconds, signal) {
      await link.send(MsgType.TEST_PATTERN, pattern(name));
      try {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, seconds * 1000);
          signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
      } finally {
        await link.send(MsgType.TEST_PATTERN, pattern('off')).catch(() => {});
      }
    },
    async brightness(percent) {
      if (brightness) brightness.setOverride(percent);
      else await link.send(MsgType.BRIGHTNESS, encodeBrightness({ percent, rampMs: 0 }));
    },
  };
}
