/**
 * Write dynamic areas (A7 00), the one command that carries pixels (docs/protocols/onbon.md §5.3).
 * The two generations lay the same facts out differently:
 *
 * BX-5E, one area per request:
 *   reserved u16 | areaDataLen u32 | id u8 | runMode u8 | timeout u16 | relateAll u8 | relateCount u16 (0)
 *   | immePlay u8 | reserved u32 | type u8 (0x10) | x y w h u16 | frame flag u8 (0) | pageCount u16
 *   | pages: dataLen u32 | style u8 | mode u8 | clear u8 | speed u8 | stay u16 (10 ms) | repeat u8
 *            | validLen u16 | reserved u32 | bitmap
 *
 * BX-6E, parameters of all areas first, then all bitmaps:
 *   reserved u16 | areaCount u16 | areaDataLen u32 | per area: id … frame flag (as 5E) | background u8
 *   | transparency u8 | areaEqual u8 | sound u8 (0) | reserved 5 | pageCount u16 | pages: dataLen u32
 *   | style … validLen (as 5E) | reserved 9 | dataOffset u32 | dataLen u32 ‖ every page's bitmap
 *
 * areaDataLen counts every byte after itself; a page's dataLen counts its bitmap only.
 */
import { encodeRequest, Group, Cmd } from './messages.js';
import type { OnbonGeneration } from './header.js';

export const AREA_TYPE = 0x10;
/** Page transitions (a subset of the vendor's 0x00–0x28 list that a notice sign uses). */
export const DisplayMode = { RANDOM: 0x00, STATIC: 0x01, QUICK: 0x02, MOVE_LEFT: 0x03, SCROLL_LEFT: 0x04, MOVE_UP: 0x05, SCROLL_UP: 0x06, FLASH: 0x07 } as const;
/** 0 loop, 1 hold the last page, 2 loop then blank after `timeoutSec` without an update, 3 … show the last page, 4 play once. */
export const RunMode = { LOOP: 0, HOLD_LAST: 1, LOOP_UNTIL_TIMEOUT: 2, LOOP_THEN_LOGO: 3, ONCE: 4 } as const;

export interface AreaPage {
  displayMode: number;
  clearMode: number;
  speed: number;
  /** How long the page stays, in 10 ms units. */
  stay10ms: number;
  repeat: number;
  /** The packed bitmap (protocols/onbon/bitmap.ts). */
  data: Uint8Array;
}

export interface AreaWrite {
  id: number;
  runMode: number;
  timeoutSec: number;
  /** ImmePlay 1: stored programs stop and only dynamic areas play (what a sign we drive wants). */
  immediate: boolean;
  x: number;
  y: number;
  w: number;
  h: number;
  pages: AreaPage[];
}

const AREA_HEAD_5 = 24; // id … pageCount
const PAGE_HEAD_5 = 17;
const AREA_HEAD_6 = 33; // id … frame flag (22) + background…reserved (9) + pageCount (2)
const PAGE_HEAD_6 = 30;

class Writer {
  readonly buf: Uint8Array;
  readonly v: DataView;
  o = 0;
  constructor(n: number) { this.buf = new Uint8Array(n); this.v = new DataView(this.buf.buffer); }
  u8(x: number): void { this.v.setUint8(this.o, x); this.o += 1; }
  u16(x: number): void { this.v.setUint16(this.o, x, true); this.o += 2; }
  u32(x: number): void { this.v.setUint32(this.o, x, true); this.o += 4; }
  skip(n: number): void { this.o += n; }
  bytes(b: Uint8Array): void { this.buf.set(b, this.o); this.o += b.length; }
}

function areaHead(w: Writer, a: AreaWrite): void {
  w.u8(a.id); w.u8(a.runMode); w.u16(a.timeoutSec);
  w.u8(1); w.u16(0); // related to every stored program, none listed (ignored with ImmePlay 1)
  w.u8(a.immediate ? 1 : 0); w.skip(4);
  w.u8(AREA_TYPE); w.u16(a.x); w.u16(a.y); w.u16(a.w); w.u16(a.h);
  w.u8(0); // no border
}

function pageHead(w: Writer, p: AreaPage, width: number): void {
  w.u32(p.data.length); w.u8(0); w.u8(p.displayMode); w.u8(p.clearMode); w.u8(p.speed);
  w.u16(p.stay10ms); w.u8(p.repeat); w.u16(width);
}

export function encodeWriteArea(gen: OnbonGeneration, a: AreaWrite): Uint8Array {
  const bitmaps = a.pages.reduce((n, p) => n + p.data.length, 0);
  if (gen === 5) {
    const areaLen = AREA_HEAD_5 + a.pages.length * PAGE_HEAD_5 + bitmaps;
    const w = new Writer(6 + areaLen);
    w.skip(2); w.u32(areaLen);
    areaHead(w, a);
    w.u16(a.pages.length);
    for (const p of a.pages) { pageHead(w, p, a.w); w.skip(4); w.bytes(p.data); }
    return encodeRequest(Group.AREA, Cmd.WRITE_AREAS, w.buf);
  }
  const areaLen = AREA_HEAD_6 + a.pages.length * PAGE_HEAD_6 + bitmaps;
  const w = new Writer(8 + areaLen);
  w.skip(2); w.u16(1); w.u32(areaLen);
  areaHead(w, a);
  w.u8(0); w.u8(0); w.u8(0); w.u8(0); w.skip(5); // no background, no sound
  w.u16(a.pages.length);
  let offset = 0;
  for (const p of a.pages) { pageHead(w, p, a.w); w.skip(9); w.u32(offset); w.u32(p.data.length); offset += p.data.length; }
  for (const p of a.pages) w.bytes(p.data);
  return encodeRequest(Group.AREA, Cmd.WRITE_AREAS, w.buf);
}

export type AreaDecode = { ok: true; areas: AreaWrite[] } | { ok: false; reason: string };

class Reader {
  private readonly v: DataView;
  o = 0;
  constructor(readonly b: Uint8Array) { this.v = new DataView(b.buffer, b.byteOffset, b.byteLength); }
  left(): number { return this.b.length - this.o; }
  need(n: number): boolean { return this.o + n <= this.b.length; }
  u8(): number { const x = this.v.getUint8(this.o); this.o += 1; return x; }
  u16(): number { const x = this.v.getUint16(this.o, true); this.o += 2; return x; }
  u32(): number { const x = this.v.getUint32(this.o, true); this.o += 4; return x; }
  skip(n: number): void { this.o += n; }
  bytes(n: number): Uint8Array { const x = this.b.slice(this.o, this.o + n); this.o += n; return x; }
}

interface PageHead { len: number; displayMode: number; clearMode: number; speed: number; stay10ms: number; repeat: number }

function readAreaHead(r: Reader): Omit<AreaWrite, 'pages'> | string {
  if (!r.need(22)) return 'area parameters cut short';
  const id = r.u8(); const runMode = r.u8(); const timeoutSec = r.u16();
  r.u8(); const related = r.u16();
  if (!r.need(related * 2 + 15)) return 'related programs cut short';
  r.skip(related * 2);
  const imme = r.u8(); r.skip(4);
  if (r.u8() !== AREA_TYPE) return 'area type is not 0x10';
  const x = r.u16(); const y = r.u16(); const w = r.u16(); const h = r.u16();
  const frame = r.u8();
  if (frame !== 0) {
    if (!r.need(6)) return 'border cut short';
    r.skip(3); const unitWidth = r.u8(); r.skip(2);
    if (!r.need(unitWidth)) return 'border cut short';
    r.skip(unitWidth);
  }
  return { id, runMode, timeoutSec, immediate: imme === 1, x, y, w, h };
}

function readPageHead(r: Reader): PageHead {
  const len = r.u32(); r.u8();
  const displayMode = r.u8(); const clearMode = r.u8(); const speed = r.u8(); const stay10ms = r.u16(); const repeat = r.u8(); r.u16();
  return { len, displayMode, clearMode, speed, stay10ms, repeat };
}

/** The areas of an A7 00 body (after RtnReq, group, cmd), or why it is malformed. */
export function decodeWriteArea(gen: OnbonGeneration, body: Uint8Array): AreaDecode {
  const r = new Reader(body);
  if (!r.need(gen === 5 ? 6 : 8)) return { ok: false, reason: 'too short' };
  r.skip(2);
  const count = gen === 5 ? 1 : r.u16();
  const areaLen = r.u32();
  if (areaLen !== r.left()) return { ok: false, reason: `areaDataLen ${areaLen} ≠ ${r.left()} bytes` };
  const areas: AreaWrite[] = [];
  const pending: { area: AreaWrite; heads: (PageHead & { offset: number })[] }[] = [];
  for (let i = 0; i < count; i++) {
    const head = readAreaHead(r);
    if (typeof head === 'string') return { ok: false, reason: head };
    if (gen === 6) {
      if (!r.need(9)) return { ok: false, reason: 'area parameters cut short' };
      r.skip(3);
      if (r.u8() !== 0) return { ok: false, reason: 'sound is not supported' };
      r.skip(5);
    }
    if (!r.need(2)) return { ok: false, reason: 'page count missing' };
    const pageCount = r.u16();
    if (pageCount === 0) return { ok: false, reason: 'page count 0' };
    const area: AreaWrite = { ...head, pages: [] };
    const heads: (PageHead & { offset: number })[] = [];
    for (let p = 0; p < pageCount; p++) {
      if (!r.need(gen === 5 ? PAGE_HEAD_5 : PAGE_HEAD_6)) return { ok: false, reason: 'page parameters cut short' };
      const ph = readPageHead(r);
      if (gen === 5) {
        r.skip(4);
        if (!r.need(ph.len)) return { ok: false, reason: 'page bitmap cut short' };
        const { len, ...rest } = ph;
        area.pages.push({ ...rest, data: r.bytes(len) });
      } else {
        r.skip(9);
        const offset = r.u32(); const len = r.u32();
        if (len !== ph.len) return { ok: false, reason: 'page lengths disagree' };
        heads.push({ ...ph, offset });
      }
    }
    areas.push(area);
    pending.push({ area, heads });
  }
  if (gen === 6) {
    const data = r.b.subarray(r.o);
    for (const { area, heads } of pending) {
      for (const h of heads) {
        if (h.offset + h.len > data.length) return { ok: false, reason: 'page bitmap outside the data' };
        area.pages.push({ displayMode: h.displayMode, clearMode: h.clearMode, speed: h.speed, stay10ms: h.stay10ms, repeat: h.repeat, data: data.slice(h.offset, h.offset + h.len) });
      }
    }
  } else if (r.left() !== 0) return { ok: false, reason: 'bytes after the last page' };
  return { ok: true, areas };
}
