/**
 * The console's view of the LED board built from what the LED link offers today (LED link v1:
 * HELLO/CAPS, BLIT, PRESENT). The selftest probe re-sends PRESENT of the frame already shown —
 * "a repeated PRESENT of the frameId already shown is acknowledged and ignored"
 * (docs/protocols/led-link.md §2) — so it measures a real round trip without touching the screen.
 * Test patterns and brightness arrive with issue 3; until then the port says it has none.
 */
import { LedLinkState, type LedLink } from '../../device/led/led-link.js';
import type { LedPresenter } from '../../device/led/led-presenter.js';
import type { SerialLink } from '../../device/serial/serial-link.js';
import { MsgType, PixelFormat, encodePresent } from '../../protocols/led-link/messages.js';
import { formatCount } from '../../protocols/console/units.js';
import type { LedConsolePort } from './device-ports.js';

export function ledConsolePort(serial: SerialLink, link: LedLink, presenter: LedPresenter): LedConsolePort {
  let lastFrameId: number | null = null;
  presenter.on('presented', (p) => { if (p.rects > 0) lastFrameId = p.frameId; });
  link.on('state', (s) => { if (s !== LedLinkState.Ready) lastFrameId = null; });
  link.on('reset', () => { lastFrameId = null; });

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
      if (lastFrameId === null || presenter.shown === null) return { ok: true, roundTripMs: 0, detail: `board ready (${what}); no frame shown yet to re-present` };
      const t0 = performance.now();
      await Promise.race([
        link.send(MsgType.PRESENT, encodePresent(lastFrameId)),
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('cancelled')), { once: true })),
      ]);
      const ms = performance.now() - t0;
      return { ok: true, roundTripMs: ms, detail: `board acknowledged in ${ms < 1 ? '<1' : Math.round(ms)} ms (${what}; ${formatCount(presenter.stats.presented, 'frame')} presented, ${formatCount(link.stats.retransmits, 'retransmit')} so far)` };
    },
    testPatterns: () => [],
  };
}
