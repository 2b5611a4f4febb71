/**
 * LED link transport replies (docs/protocols/led-link.md §3.10 ACK, §3.11 NAK): cumulative ACK with
 * a SACK bitmap and repair count; a NAK names one frame and its reason. Decoders return null for a
 * malformed payload and never throw.
 */
import { view } from './message-view.js';

// --- ACK / NAK ------------------------------------------------------------------------------
export interface Ack {
  /** Every host seq before this one has been taken (applied or refused with an application NAK). */
  cumSeq: number;
  /** Bit i set: seq cumSeq+i has arrived and waits (to be decoded, or for a gap before it to fill). */
  sack: number;
  /** Bytes repaired by FEC in the frames this ACK covers (the host's channel estimate). */
  corrected: number;
}

export function encodeAck(a: Ack): Uint8Array {
  const b = new Uint8Array(8);
  const v = view(b);
  v.setUint16(0, a.cumSeq & 0xffff, true);
  v.setUint32(2, a.sack >>> 0, true);
  v.setUint16(6, Math.min(0xffff, a.corrected), true);
  return b;
}

export function decodeAck(p: Uint8Array): Ack | null {
  if (p.length !== 8) return null;
  const v = view(p);
  return { cumSeq: v.getUint16(0, true), sack: v.getUint32(2, true), corrected: v.getUint16(6, true) };
}

export interface Nak extends Ack {
  /** The refused frame (0xFFFF: unknown). */
  seq: number;
  reason: number;
}

export function encodeNak(n: Nak): Uint8Array {
  const b = new Uint8Array(11);
  const v = view(b);
  v.setUint16(0, n.seq & 0xffff, true);
  v.setUint8(2, n.reason);
  b.set(encodeAck(n), 3);
  return b;
}

export function decodeNak(p: Uint8Array): Nak | null {
  if (p.length !== 11) return null;
  const a = decodeAck(p.subarray(3));
  return a && { seq: view(p).getUint16(0, true), reason: p[2]!, ...a };
}
