/**
 * LED link message codes (docs/protocols/led-link.md §3): frame types, pixel formats, codecs, CAPS
 * feature bits, NAK reasons (§3.11), test patterns, FAULT codes. The codecs for each message are
 * in messages-*.ts; messages.ts re-exports everything.
 */
export const MsgType = {
  HELLO: 0x01,
  CAPS: 0x02,
  BLIT: 0x10,
  PRESENT: 0x11,
  BRIGHTNESS: 0x12,
  TEST_PATTERN: 0x13,
  STATUS_REQ: 0x14,
  RESET: 0x15,
  STATUS: 0x20,
  FAULT: 0x21,
  ACK: 0x80,
  NAK: 0x81,
} as const;
export type MsgType = (typeof MsgType)[keyof typeof MsgType];

export const PixelFormat = { RGB565: 1, RGB888: 2 } as const;
export type PixelFormat = (typeof PixelFormat)[keyof typeof PixelFormat];

/** Pixel payload codecs a BLIT may use; the board lists the ones it decodes in CAPS (§4). */
export const Codec = { RAW: 0, RLE16: 1, DEFLATE: 2, PALETTE_DEFLATE: 3, SOLID: 4 } as const;
export type Codec = (typeof Codec)[keyof typeof Codec];

/** CAPS feature bits. */
export const Feature = {
  FEC: 1 << 0,
  VERIFY_CRC: 1 << 1,
  AMBIENT_LIGHT: 1 << 2,
  TEMPERATURE: 1 << 3,
  SUPPLY_VOLTAGE: 1 << 4,
  TEST_PATTERNS: 1 << 5,
  BRIGHTNESS_RAMP: 1 << 6,
} as const;

/**
 * NAK reasons. Below 0x20 the frame was not taken (the sender retransmits); from 0x20 the frame
 * was taken and refused (resending it unchanged cannot help). 0x02–0x04 keep Novastar's
 * ack-code numbers for check error and invalid command (docs/background.md §LED controllers).
 */
export const NakReason = {
  CRC: 0x02,
  TOO_LONG: 0x03,
  WINDOW: 0x10,
  NO_SESSION: 0x11,
  BUSY: 0x12,
  VERSION: 0x13,
  UNKNOWN_TYPE: 0x04,
  BAD_PAYLOAD: 0x20,
  OUT_OF_BOUNDS: 0x21,
  DECODE: 0x22,
  UNSUPPORTED: 0x23,
  INCOMPLETE: 0x24,
  MISMATCH: 0x25,
} as const;
export type NakReason = (typeof NakReason)[keyof typeof NakReason];

/** True if the board did not take the frame, so sending it again may succeed. */
export function nakIsRetryable(reason: number): boolean {
  return reason < 0x20 && reason !== NakReason.UNKNOWN_TYPE;
}

export function nakReasonName(reason: number): string {
  for (const [k, v] of Object.entries(NakReason)) if (v === reason) return k;
  return `0x${reason.toString(16)}`;
}

export const TestPattern = { OFF: 0, SOLID: 1, GREY_RAMP: 2, GRID: 3, MODULE_ID: 4 } as const;
export type TestPattern = (typeof TestPattern)[keyof typeof TestPattern];

/** FAULT codes; STATUS.faults has bit (code − 1) set while a fault is active. */
export const FaultCode = { OVER_TEMPERATURE: 1, SUPPLY: 2, MODULE: 3, LIGHT_SENSOR: 4, DECODER: 5 } as const;
export type FaultCode = (typeof FaultCode)[keyof typeof FaultCode];

export const CapsReason = { HELLO: 0, BOOT: 1 } as const;

export const ResetMode = { REBOOT: 1 } as const;
