/**
 * Reed–Solomon over GF(2^8) for the LED link's forward error correction
 * (docs/protocols/led-link.md §2.3): field polynomial 0x11D, generator α = 2, first consecutive
 * root α^0 — the same code as QR codes (ISO/IEC 18004), so published QR vectors check it.
 * A codeword is data bytes followed by `nsym` parity bytes, first byte = highest-degree
 * coefficient; shortened codes (n < 255) are the same code with leading zeros omitted.
 * Encoding and the clean-block check run a table-driven LFSR four bytes at a time. Decoding:
 * remainder (zero = clean) → syndromes → Berlekamp–Massey → Chien search → Forney; corrects up to nsym/2 byte
 * errors anywhere in the codeword and reports failure (never a wrong "success" it can detect).
 */
const EXP = new Uint8Array(512);
const LOG = new Uint8Array(256);
(() => {
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x <<= 1;
    if (x & 0x100) x ^= 0x11d;
  }
  for (let i = 255; i < 512; i++) EXP[i] = EXP[i - 255]!;
})();

export function gfMul(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!;
}

function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('GF(256) division by zero');
  return a === 0 ? 0 : EXP[(LOG[a]! + 255 - LOG[b]!) % 255]!;
}

function gfPow2(e: number): number {
  return EXP[((e % 255) + 255) % 255]!;
}

const generators = new Map<number, Uint8Array>();

/** g(x) = Π_{i<nsym} (x − α^i), highest degree first, monic (length nsym+1). */
export function generator(nsym: number): Uint8Array {
  let g = generators.get(nsym);
  if (g) return g;
  let poly = new Uint8Array([1]);
  for (let i = 0; i < nsym; i++) {
    const next = new Uint8Array(poly.length + 1);
    const r = EXP[i]!;
    for (let j = 0; j < poly.length; j++) {
      next[j]! ^= poly[j]!;
      next[j + 1]! ^= gfMul(poly[j]!, r);
    }
    poly = next;
  }
  g = poly;
  generators.set(nsym, g);
  return g;
}

/**
 * Per generator: for every byte value c, the products c·g_1 … c·g_nsym packed big-endian into
 * 32-bit words (padded with zero bytes to whole words). The LFSR below then shifts and adds
 * four remainder bytes per operation instead of one: 3–4× faster than byte-wise division, which
 * matters at 1 MB/s where every byte is encoded by the host and checked by the board (§6.4).
 */
const wordTables = new Map<number, Int32Array>();

function wordTable(nsym: number): Int32Array {
  let t = wordTables.get(nsym);
  if (t) return t;
  const g = generator(nsym);
  const words = (nsym + 3) >> 2;
  t = new Int32Array(256 * words);
  for (let c = 1; c < 256; c++) {
    for (let j = 0; j < nsym; j++) {
      const v = gfMul(c, g[j + 1]!);
      t[c * words + (j >> 2)]! |= v << (24 - 8 * (j & 3));
    }
  }
  wordTables.set(nsym, t);
  return t;
}

/**
 * The remainder of data[start, end)·x^nsym ÷ g(x) (= the parity), packed as wordTable words
 * into `rem` (length ≥ words, overwritten).
 */
function remainderWords(data: Uint8Array, start: number, end: number, nsym: number, rem: Int32Array): number {
  const t = wordTable(nsym);
  const words = (nsym + 3) >> 2;
  for (let j = 0; j < words; j++) rem[j] = 0;
  const last = words - 1;
  for (let i = start; i < end; i++) {
    const coef = (data[i]! ^ (rem[0]! >>> 24)) & 0xff;
    const base = coef * words;
    for (let j = 0; j < last; j++) rem[j] = ((rem[j]! << 8) | (rem[j + 1]! >>> 24)) ^ t[base + j]!;
    rem[last] = (rem[last]! << 8) ^ t[base + last]!;
  }
  return words;
}

const scratch = new Int32Array(8);

/**
 * Writes the `nsym` parity bytes of data[start, end) into out[outAt, outAt+nsym).
 * The data length plus nsym must be ≤ 255.
 */
export function rsEncodeInto(data: Uint8Array, start: number, end: number, nsym: number, out: Uint8Array, outAt: number): void {
  if (end - start + nsym > 255) throw new RangeError(`RS codeword too long: ${end - start}+${nsym}`);
  if (nsym <= 0 || nsym > 32) throw new RangeError(`RS parity count ${nsym} outside 1…32`);
  remainderWords(data, start, end, nsym, scratch);
  for (let j = 0; j < nsym; j++) out[outAt + j] = (scratch[j >> 2]! >>> (24 - 8 * (j & 3))) & 0xff;
}

export function rsEncode(data: Uint8Array, nsym: number): Uint8Array {
  const out = new Uint8Array(nsym);
  rsEncodeInto(data, 0, data.length, nsym, out, 0);
  return out;
}

export type RsResult = { ok: true; corrected: number } | { ok: false };

/**
 * Corrects the codeword cw[start, end) (data then nsym parity bytes) in place.
 * Returns the number of bytes corrected, or ok:false if there are more errors than it can fix.
 */
export function rsDecodeInPlace(cw: Uint8Array, start: number, end: number, nsym: number): RsResult {
  const n = end - start;
  if (n > 255 || n <= nsym || nsym > 32) return { ok: false };
  // c(x) mod g(x) = parity recomputed from the received data XOR the received parity. It is
  // zero exactly when every syndrome is (g's roots are the syndrome points), so a clean block
  // costs one encode; otherwise the syndromes come from the nsym-byte remainder, not the block.
  remainderWords(cw, start, end - nsym, nsym, scratch);
  const rem = new Uint8Array(nsym);
  let any = 0;
  for (let j = 0; j < nsym; j++) {
    rem[j] = ((scratch[j >> 2]! >>> (24 - 8 * (j & 3))) & 0xff) ^ cw[end - nsym + j]!;
    any |= rem[j]!;
  }
  if (any === 0) return { ok: true, corrected: 0 };
  // Syndromes S_i = c(α^i) = rem(α^i) (Horner over the remainder, highest degree first).
  const S = new Uint8Array(nsym);
  for (let i = 0; i < nsym; i++) {
    let y = 0;
    for (let j = 0; j < nsym; j++) y = (y === 0 ? 0 : EXP[LOG[y]! + i]!) ^ rem[j]!;
    S[i] = y;
  }
  // Berlekamp–Massey: Λ(x), lowest degree first.
  let C = new Uint8Array(nsym + 1);
  let B = new Uint8Array(nsym + 1);
  C[0] = 1;
  B[0] = 1;
  let L = 0;
  let m = 1;
  let b = 1;
  for (let r = 0; r < nsym; r++) {
    let d = S[r]!;
    for (let i = 1; i <= L; i++) d ^= gfMul(C[i]!, S[r - i]!);
    if (d === 0) { m++; continue; }
    const coef = gfDiv(d, b);
    if (2 * L <= r) {
      const T = C.slice();
      for (let i = 0; i + m <= nsym; i++) C[i + m]! ^= gfMul(coef, B[i]!);
      L = r + 1 - L;
      B = T;
      b = d;
      m = 1;
    } else {
      for (let i = 0; i + m <= nsym; i++) C[i + m]! ^= gfMul(coef, B[i]!);
      m++;
    }
  }
  if (2 * L > nsym) return { ok: false };
  C = C.subarray(0, L + 1);
  // Chien search: byte index k has power p = n-1-k; it is in error if Λ(α^-p) = 0. Terms are
  // kept as logs and stepped by −i per position (no multiplications).
  const positions: number[] = [];
  const lt = new Int32Array(L + 1);
  for (let i = 0; i <= L; i++) lt[i] = C[i] === 0 ? -1 : LOG[C[i]!]!;
  for (let p = 0; p < n && positions.length < L; p++) {
    let v = 0;
    for (let i = 0; i <= L; i++) {
      const l = lt[i]!;
      if (l < 0) continue;
      v ^= EXP[l]!;
      lt[i] = l >= i ? l - i : l - i + 255;
    }
    if (v === 0) positions.push(p);
  }
  if (positions.length !== L) return { ok: false };
  // Ω(x) = S(x)Λ(x) mod x^nsym.
  const omega = new Uint8Array(nsym);
  for (let i = 0; i < nsym; i++) {
    let v = 0;
    for (let j = 0; j <= Math.min(i, L); j++) v ^= gfMul(C[j]!, S[i - j]!);
    omega[i] = v;
  }
  // Forney (first root α^0): e = X · Ω(X⁻¹) / Λ'(X⁻¹).
  for (const p of positions) {
    const X = gfPow2(p);
    const xinv = gfPow2(-p);
    let om = 0;
    for (let i = nsym - 1; i >= 0; i--) om = gfMul(om, xinv) ^ omega[i]!;
    let dl = 0;
    for (let i = L; i >= 1; i--) {
      // Formal derivative in characteristic 2 keeps odd powers: Λ'(x) = Σ_{i odd} Λ_i x^{i-1}.
      dl = gfMul(dl, xinv) ^ (i & 1 ? C[i]! : 0);
    }
    if (dl === 0) return { ok: false };
    const e = gfMul(X, gfDiv(om, dl));
    cw[start + n - 1 - p]! ^= e;
    // Syndromes are linear: the corrected word's S_i = S_i ⊕ e·X^i.
    if (e !== 0) for (let i = 0, lx = LOG[e]!; i < nsym; i++, lx = (lx + p) % 255) S[i]! ^= EXP[lx]!;
  }
  // Verify: a miscorrection beyond the code's power would leave nonzero syndromes.
  for (let i = 0; i < nsym; i++) if (S[i] !== 0) return { ok: false };
  return { ok: true, corrected: L };
}
