/**
 * What the simulated LED board does with a frame it has received in order and decoded
 * (docs/protocols/led-link.md §3.3–§3.8, §8.1): the panel changes here; the board turns the
 * returned effect into its counters, events, STATUS answer or reboot.
 */
import type { RawFrame } from '../../protocols/led-link/frame.js';
import { Codec, MsgType, NakReason, decodeBlit, decodeBrightness, decodePresent, decodeReset, decodeTestPattern } from '../../protocols/led-link/messages.js';
import type { LedPanel } from './led-panel.js';

/** Codecs the simulated board decodes (announced in CAPS, §3.2). */
export const BOARD_CODECS = (1 << Codec.RAW) | (1 << Codec.RLE16) | (1 << Codec.DEFLATE) | (1 << Codec.PALETTE_DEFLATE) | (1 << Codec.SOLID);

export type AppliedFrame =
  /** `reason` 0 = done, else the NAK reason (§3.11). */
  | { reason: number; effect: 'none' | 'blit' | 'status-requested' | 'reset-requested' }
  | { reason: 0; effect: 'present'; frameId: number };

export function applyFrame(panel: LedPanel, f: RawFrame, now: number): AppliedFrame {
  const refused = (reason: number): AppliedFrame => ({ reason, effect: 'none' });
  switch (f.type) {
    case MsgType.BLIT: {
      const b = decodeBlit(f.payload);
      if (!b) return refused(NakReason.BAD_PAYLOAD);
      if (!((1 << b.codec) & BOARD_CODECS)) return refused(NakReason.UNSUPPORTED);
      const r = panel.blit(b);
      return r === 0 ? { reason: 0, effect: 'blit' } : refused(r);
    }
    case MsgType.PRESENT: {
      const p = decodePresent(f.payload);
      if (!p) return refused(NakReason.BAD_PAYLOAD);
      const r = panel.present(p, now);
      return r === 0 ? { reason: 0, effect: 'present', frameId: p.frameId } : refused(r);
    }
    case MsgType.BRIGHTNESS: {
      const b = decodeBrightness(f.payload);
      if (!b) return refused(NakReason.BAD_PAYLOAD);
      panel.setBrightness(b.percent, b.rampMs, now);
      return refused(0);
    }
    case MsgType.TEST_PATTERN: {
      const t = decodeTestPattern(f.payload);
      if (!t) return refused(NakReason.BAD_PAYLOAD);
      panel.testPattern = t;
      return refused(0);
    }
    case MsgType.STATUS_REQ:
      return { reason: 0, effect: 'status-requested' };
    case MsgType.RESET:
      if (!decodeReset(f.payload)) return refused(NakReason.BAD_PAYLOAD);
      return { reason: 0, effect: 'reset-requested' };
    default:
      return refused(NakReason.UNKNOWN_TYPE);
  }
}
