/**
 * Onbon BX-5/6 data-field messages (docs/protocols/onbon.md §4–5): requests go host → card,
 * every request with RtnReq = 1 gets exactly one response.
 *
 *   request  = RtnReq u8 | group u8 | cmd u8 | body
 *   response = reserved u8 | group u8 | cmd u8 | status u16 | error u16 | dataLen u16 | data
 *
 * ACK is group A0 cmd 00; NACK is A0 01 with status bit 0 set and an error number.
 */
export const Group = { ACK: 0xa0, SYSTEM: 0xa2, AREA: 0xa7 } as const;
export const Cmd = { ACK: 0x00, NACK: 0x01, PING: 0x00, BRIGHTNESS: 0x07, WRITE_AREAS: 0x00, DELETE_AREAS: 0x01 } as const;

/** The card's error register (vendor table; docs/protocols/onbon.md §5). */
export const ONBON_ERRORS: readonly string[] = [
  'ERR_NO', 'ERR_OUTOFGROUP', 'ERR_NOCMD', 'ERR_BUSY', 'ERR_MEMORYVOLUME', 'ERR_CHECKSUM', 'ERR_FILENOTEXIST', 'ERR_FLASH',
  'ERR_FILE_DOWNLOAD', 'ERR_FILE_NAME', 'ERR_FILE_TYPE', 'ERR_FILE_CRC16', 'ERR_FONT_NOT_EXIST', 'ERR_FIRMWARE_TYPE',
  'ERR_DATE_TIME_FORMAT', 'ERR_FILE_EXIST', 'ERR_FILE_BLOCK_NUM', 'ERR_CONTROLLER_TYPE', 'ERR_SCREEN_PARA', 'ERR_CONTROLLER_ID',
];
export const OnbonErr = { NONE: 0, OUT_OF_GROUP: 1, NO_CMD: 2, BUSY: 3, MEMORY: 4, CHECKSUM: 5, SCREEN_PARA: 18 } as const;
export const onbonErrorName = (n: number): string => ONBON_ERRORS[n] ?? `ERR_${n}`;

export interface OnbonRequest {
  rtnReq: number;
  group: number;
  cmd: number;
  body: Uint8Array;
}

export interface OnbonResponse {
  group: number;
  cmd: number;
  status: number;
  error: number;
  data: Uint8Array;
}

export function encodeRequest(group: number, cmd: number, body: Uint8Array, rtnReq = 1): Uint8Array {
  const out = new Uint8Array(3 + body.length);
  out[0] = rtnReq;
  out[1] = group;
  out[2] = cmd;
  out.set(body, 3);
  return out;
}

export function decodeRequest(data: Uint8Array): OnbonRequest | null {
  if (data.length < 3) return null;
  return { rtnReq: data[0]!, group: data[1]!, cmd: data[2]!, body: data.subarray(3) };
}

export function encodeResponse(r: OnbonResponse): Uint8Array {
  const out = new Uint8Array(9 + r.data.length);
  const v = new DataView(out.buffer);
  out[1] = r.group;
  out[2] = r.cmd;
  v.setUint16(3, r.status, true);
  v.setUint16(5, r.error, true);
  v.setUint16(7, r.data.length, true);
  out.set(r.data, 9);
  return out;
}

export function decodeResponse(data: Uint8Array): OnbonResponse | null {
  if (data.length < 9) return null;
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const len = v.getUint16(7, true);
  if (data.length !== 9 + len) return null;
  return { group: data[1]!, cmd: data[2]!, status: v.getUint16(3, true), error: v.getUint16(5, true), data: data.slice(9) };
}

export const ack = (): OnbonResponse => ({ group: Group.ACK, cmd: Cmd.ACK, status: 0, error: 0, data: new Uint8Array(0) });
export const nack = (error: number): OnbonResponse => ({ group: Group.ACK, cmd: Cmd.NACK, status: 1, error, data: new Uint8Array(0) });
export const isAck = (r: OnbonResponse): boolean => r.group === Group.ACK && r.cmd === Cmd.ACK && (r.status & 1) === 0;
export const isNack = (r: OnbonResponse): boolean => (r.group === Group.ACK && r.cmd === Cmd.NACK) || (r.status & 1) === 1;

/** Ping (A2 00): two reserved bytes; any card answers, even to the wildcard address. */
export function encodePing(): Uint8Array {
  return encodeRequest(Group.SYSTEM, Cmd.PING, new Uint8Array(2));
}

/** Brightness levels: 0 (darkest) … 15. Manual sets one level; a table gives one per half hour from 00:00. */
export const BRIGHTNESS_LEVELS = 16;
export const HALF_HOURS = 48;
export type OnbonBrightness = { mode: 'manual'; level: number } | { mode: 'table'; levels: readonly number[] };

/** Brightness (A2 07): length u16 (49) | mode u8 (0 manual, 1 table) | 48 half-hour levels. */
export function encodeBrightness(b: OnbonBrightness): Uint8Array {
  const body = new Uint8Array(2 + 1 + HALF_HOURS);
  body[0] = 1 + HALF_HOURS;
  body[2] = b.mode === 'manual' ? 0 : 1;
  for (let i = 0; i < HALF_HOURS; i++) {
    const l = b.mode === 'manual' ? b.level : b.levels[i];
    if (l === undefined || !Number.isInteger(l) || l < 0 || l >= BRIGHTNESS_LEVELS) throw new RangeError(`brightness level ${String(l)} is not 0…15`);
    body[3 + i] = l;
  }
  return encodeRequest(Group.SYSTEM, Cmd.BRIGHTNESS, body);
}

export function decodeBrightness(body: Uint8Array): OnbonBrightness | null {
  if (body.length !== 3 + HALF_HOURS || body[0]! + (body[1]! << 8) !== 1 + HALF_HOURS) return null;
  const levels = Array.from(body.subarray(3));
  if (levels.some((l) => l >= BRIGHTNESS_LEVELS)) return null;
  if (body[2] === 0) return { mode: 'manual', level: levels[0]! };
  if (body[2] === 1) return { mode: 'table', levels };
  return null;
}

/** Delete areas (A7 01): reserved u16 | count u8 | ids; count 0xFF (no ids) deletes every area. */
export function encodeDeleteAreas(ids: readonly number[] | 'all'): Uint8Array {
  const list = ids === 'all' ? [] : ids;
  const body = new Uint8Array(3 + list.length);
  body[2] = ids === 'all' ? 0xff : list.length;
  body.set(list, 3);
  return encodeRequest(Group.AREA, Cmd.DELETE_AREAS, body);
}

export function decodeDeleteAreas(body: Uint8Array): number[] | 'all' | null {
  if (body.length < 3) return null;
  if (body[2] === 0xff) return body.length === 3 ? 'all' : null;
  if (body.length !== 3 + body[2]!) return null;
  return Array.from(body.subarray(3));
}
