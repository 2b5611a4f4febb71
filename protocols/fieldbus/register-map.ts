/**
 * Register maps as data: each field of a Modbus unit is a table, a PDU address, a type and a scale.
 * The device modules (ev-cc-ac1-m3.ts, sdm-meter.ts, charge-pads.ts, lamp-driver.ts) declare their
 * maps with these types; drivers read blocks planned from the map and decode fields from the words,
 * and the simulated slaves encode the same fields, so both sides share one source of truth
 * (docs/protocols/field-bus.md lists every address). Pure.
 */

/** Modbus data tables (Modbus Application Protocol §4.3). Addresses are PDU addresses (0-based). */
export type Table = 'coil' | 'discrete' | 'holding' | 'input';

/**
 * u16/i16: one register; u32/i32/f32: two registers, high word first (big-endian word order, as
 * Eastron meters and most vendors use); ascii: `words` registers, two characters each, high byte
 * first, NUL/space padded; bool: a coil or discrete input.
 */
export type FieldType = 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'ascii' | 'bool';

export interface FieldDef {
  table: Table;
  address: number;
  type: FieldType;
  /** Registers for `ascii` fields. */
  words?: number;
  /** Engineering value = raw × scale (e.g. 0.1 for a register in tenths). Default 1. */
  scale?: number;
  unit?: string;
  access: 'r' | 'rw';
  description: string;
}

export type RegisterMap = Readonly<Record<string, FieldDef>>;
export type FieldValue = number | string | boolean;

export function fieldWords(f: FieldDef): number {
  switch (f.type) {
    case 'u32': case 'i32': case 'f32': return 2;
    case 'ascii': return f.words ?? 1;
    default: return 1;
  }
}

export interface ReadBlock {
  table: Table;
  address: number;
  quantity: number;
}

/**
 * Contiguous reads covering `names`: fields of one table are merged into one block while the gap
 * between them is ≤ `maxGap` registers and the block stays ≤ `maxQuantity` (short blocks keep a
 * transaction short, which bounds how long a command can wait behind a poll).
 */
export function planReads(map: RegisterMap, names: readonly string[], o: { maxGap?: number; maxQuantity?: number } = {}): ReadBlock[] {
  const maxGap = o.maxGap ?? 4;
  const out: ReadBlock[] = [];
  const byTable = new Map<Table, { start: number; end: number }[]>();
  for (const n of names) {
    const f = map[n];
    if (!f) throw new RangeError(`no field "${n}" in register map`);
    const list = byTable.get(f.table) ?? [];
    list.push({ start: f.address, end: f.address + fieldWords(f) });
    byTable.set(f.table, list);
  }
  for (const [table, spans] of byTable) {
    const bits = table === 'coil' || table === 'discrete';
    const maxQ = o.maxQuantity ?? (bits ? 2000 : 125);
    spans.sort((a, b) => a.start - b.start);
    let cur: ReadBlock | null = null;
    for (const s of spans) {
      if (cur && s.start <= cur.address + cur.quantity + maxGap && Math.max(cur.address + cur.quantity, s.end) - cur.address <= maxQ) {
        cur.quantity = Math.max(cur.address + cur.quantity, s.end) - cur.address;
      } else {
        cur = { table, address: s.start, quantity: s.end - s.start };
        out.push(cur);
      }
    }
  }
  return out;
}

/** Words (registers) or bits read for a block, keyed for field lookup. */
export interface BlockData {
  block: ReadBlock;
  words?: readonly number[];
  bits?: readonly boolean[];
}

export function decodeField(f: FieldDef, words: readonly number[]): FieldValue {
  const scale = f.scale ?? 1;
  const w = (i: number) => words[i] ?? 0;
  switch (f.type) {
    case 'u16': return w(0) * scale;
    case 'i16': return ((w(0) << 16) >> 16) * scale;
    case 'u32': return (w(0) * 0x10000 + w(1)) * scale;
    case 'i32': return ((w(0) << 16) | w(1)) * scale;
    case 'f32': {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setUint16(0, w(0));
      dv.setUint16(2, w(1));
      return dv.getFloat32(0) * scale;
    }
    case 'ascii': {
      let s = '';
      for (let i = 0; i < fieldWords(f); i++) s += String.fromCharCode(w(i) >> 8, w(i) & 0xff);
      return s.replace(/[\0 ]+$/, '');
    }
    case 'bool': return w(0) !== 0;
  }
}

/** The registers (or a single bit as 0/1) that hold `value` in field `f`. */
export function encodeField(f: FieldDef, value: FieldValue): number[] {
  const scale = f.scale ?? 1;
  const raw = typeof value === 'number' ? Math.round(value / scale) : 0;
  switch (f.type) {
    case 'bool': return [value ? 1 : 0];
    case 'u16': return [clamp(raw, 0, 0xffff)];
    case 'i16': return [clamp(raw, -0x8000, 0x7fff) & 0xffff];
    case 'u32': { const v = clamp(raw, 0, 0xffffffff); return [Math.floor(v / 0x10000), v % 0x10000]; }
    case 'i32': { const v = clamp(raw, -0x80000000, 0x7fffffff) >>> 0; return [v >>> 16, v & 0xffff]; }
    case 'f32': {
      const dv = new DataView(new ArrayBuffer(4));
      dv.setFloat32(0, Number(value) / scale);
      return [dv.getUint16(0), dv.getUint16(2)];
    }
    case 'ascii': {
      const s = String(value);
      const out: number[] = [];
      for (let i = 0; i < fieldWords(f); i++) out.push(((s.charCodeAt(2 * i) || 0) & 0xff) << 8 | ((s.charCodeAt(2 * i + 1) || 0) & 0xff));
      return out;
    }
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Decodes `names` from the data of blocks planned by planReads. */
export function decodeFields(map: RegisterMap, names: readonly string[], data: readonly BlockData[]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const n of names) {
    const f = map[n]!;
    const words = fieldWords(f);
    const d = data.find((x) => x.block.table === f.table && f.address >= x.block.address && f.address + words <= x.block.address + x.block.quantity);
    if (!d) throw new RangeError(`field "${n}" not covered by the blocks read`);
    const off = f.address - d.block.address;
    if (f.type === 'bool') out[n] = d.bits ? d.bits[off] === true : (d.words?.[off] ?? 0) !== 0;
    else out[n] = decodeField(f, (d.words ?? []).slice(off, off + words));
  }
  return out;
}

/** Every field's address span, for overlap checks and the documentation table. */
export function mapRows(map: RegisterMap): { name: string; table: Table; address: number; words: number; f: FieldDef }[] {
  return Object.entries(map).map(([name, f]) => ({ name, table: f.table, address: f.address, words: fieldWords(f), f }))
    .sort((a, b) => a.table.localeCompare(b.table) || a.address - b.address);
}
