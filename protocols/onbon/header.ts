/**
 * The 16-byte packet header every Onbon BX-5/6 frame carries before its data field
 * (docs/protocols/onbon.md §3). All fields little-endian:
 *
 *   dst u16 | src u16 | protocol u8 (0xF0 dynamic areas) | reserved u8 | deviceType u16 | reserved u32 | dataLen u32
 */
export const HEADER_BYTES = 16;
/** Dynamic-area protocol version. */
export const PROTOCOL_VERSION = 0xf0;
/** Source address the vendor's PC software uses; cards answer to it. */
export const HOST_ADDRESS = 0x8000;
/** Wildcard screen address and device type: any card answers (the vendor's ping example). */
export const ANY_ADDRESS = 0xfffe;
export const ANY_DEVICE = 0xfffe;

/** Card models and their header device type (docs/protocols/onbon.md §3, from the vendor tables). */
export const DEVICE_TYPES = {
  '5E1': 0x0154, '5E2': 0x0254, '5E3': 0x0354,
  '6E1': 0x0174, '6E2': 0x0274, '6E3': 0x0374, '6E1X': 0x0474, '6E2X': 0x0574,
} as const;
export type OnbonModel = keyof typeof DEVICE_TYPES;
export const ONBON_MODELS = Object.keys(DEVICE_TYPES) as OnbonModel[];

/** 5th generation (BX-5E: byte-packed, interleaved planes) or 6th (BX-6E: word-packed, planes apart). */
export type OnbonGeneration = 5 | 6;
export function generationOf(model: OnbonModel): OnbonGeneration {
  return model.startsWith('5') ? 5 : 6;
}

export interface OnbonHeader {
  dst: number;
  src: number;
  protocol: number;
  deviceType: number;
  dataLen: number;
}

export function writeHeader(h: OnbonHeader, out: Uint8Array, at = 0): void {
  const v = new DataView(out.buffer, out.byteOffset + at, HEADER_BYTES);
  v.setUint16(0, h.dst, true);
  v.setUint16(2, h.src, true);
  v.setUint8(4, h.protocol);
  v.setUint8(5, 0);
  v.setUint16(6, h.deviceType, true);
  v.setUint32(8, 0, true);
  v.setUint32(12, h.dataLen, true);
}

export function readHeader(b: Uint8Array): OnbonHeader {
  const v = new DataView(b.buffer, b.byteOffset, HEADER_BYTES);
  return { dst: v.getUint16(0, true), src: v.getUint16(2, true), protocol: v.getUint8(4), deviceType: v.getUint16(6, true), dataLen: v.getUint32(12, true) };
}
