/**
 * Reed–Solomon over GF(2^8) for the LED link's forward error correction
 * (docs/protocols/led-link.md §2.3): field polynomial 0x11D, generator α = 2, first consecutive
 * root α^0 — the same code as QR codes (ISO/IEC 18004), so published QR vectors check it.
 * A codeword is data bytes followed by `nsym` parity bytes, first byte = highest-degree
 * coefficient; shortened codes (n < 255) are the same code with leading zeros omitted.
 * Decoding: syndromes → Berlekamp–Massey → Chien search → Forney; corrects up to nsym/2 byte
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
 * Writes the `nsym` parity bytes of data[start, end) into out[outAt, outAt+nsym).
 * The data length plus nsym must be ≤ 255.
 */
export function rsEncodeInto(data: Uint8Array, start: number, end: number, nsym: number, out: Uint8Array, outAt: number): void {
  if (end - start + nsym > 255) throw new RangeError(`RS codeword too long: ${end - start}+${nsym}`);
  const gl = generatorLogs(nsym);
  const rem = out.subarray(outAt, outAt + nsym);
  rem.fill(0);
  const last = nsym - 1;
  // LFSR division by g(x); one pass per byte shifts the remainder and adds coef·g.
  for (let i = start; i < end; i++) {
    const coef = data[i]! ^ rem[0]!;
    if (coef === 0) {
      for (let j = 0; j < last; j++) rem[j] = rem[j + 1]!;
      rem[last] = 0;
      continue;
    }
    const lc = LOG[coef]!;
    for (let j = 0; j < last; j++) {
      const g = gl[j + 1]!;
      rem[j] = rem[j + 1]! ^ (g === 255 ? 0 : EXP[g + lc]!);
    }
    const g = gl[nsym]!;
    rem[last] = g === 255 ? 0 : EXP[g + lc]!;
  }
}

const generatorLogTables = new Map<number, Uint8Array>();

/** log of each generator coefficient, 255 for a zero coefficient. */
function generatorLogs(nsym: number): Uint8Array {
  let t = generatorLogTables.get(nsym);
  if (!t) {
    const g = generator(nsym);
    t = Uint8Array.from(g, (c) => (c === 0 ? 255 : LOG[c]!));
    generatorLogTables.set(nsym, t);
  }
  return t;
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
  if (n > 255 || n <= nsym) return { ok: false };
  // Syndromes S_i = c(α^i).
  const S = new Uint8Array(nsym);
  let any = 0;
  for (let i = 0; i < nsym; i++) {
    let y = 0;
    const li = i; // log of α^i
    for (let k = start; k < end; k++) y = (y === 0 ? 0 : EXP[LOG[y]! + li]!) ^ cw[k]!;
    S[i] = y;
    any |= y;
  }
  if (any === 0) return { ok: true, corrected: 0 };
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
  // Chien search: byte index k has power p = n-1-k; it is in error if Λ(α^-p) = 0.
  const positions: number[] = [];
  for (let p = 0; p < n; p++) {
    const xinv = gfPow2(-p);
    let v = 0;
    for (let i = L; i >= 0; i--) v = gfMul(v, xinv) ^ C[i]!;
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
    // The loop above evaluated Σ_{i≥1} [i odd]Λ_i x^{i-1}.
    if (dl === 0) return { ok: false };
    const e = gfMul(X, gfDiv(om, dl));
    cw[start + n - 1 - p]! ^= e;
  }
  // Verify: a miscorrection beyond the code's power would leave nonzero syndromes.
  for (let i = 0; i < nsym; i++) {
    let y = 0;
    for (let k = start; k < end; k++) y = (y === 0 ? 0 : EXP[LOG[y]! + i]!) ^ cw[k]!;
    if (y !== 0) return { ok: false };
  }
  return { ok: true, corrected: L };
}
