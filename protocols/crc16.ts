/**
 * Table-driven reflected CRC-16 (polynomial 0x8005, reflected 0xA001).
 *
 * Two parameter sets share the table:
 * - CRC-16/MODBUS: init 0xFFFF — the Modbus RTU frame check (modbus.org serial line spec §2.5.1.2)
 *   and the LED link's frame check (docs/protocols/led-link.md §Framing).
 * - CRC-16/ARC: init 0x0000 — what Onbon BX-5/6 controller cards use (docs/protocols/onbon.md §2).
 * Check values ("123456789"): MODBUS 0x4B37, ARC 0xBB3D.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xa001 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc16(data: Uint8Array, init: number, start = 0, end = data.length): number {
  let crc = init & 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ data[i]!) & 0xff]!;
  return crc;
}

export const crc16Modbus = (data: Uint8Array, start?: number, end?: number): number => crc16(data, 0xffff, start, end);
export const crc16Arc = (data: Uint8Array, start?: number, end?: number): number => crc16(data, 0x0000, start, end);
