import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AtFramer, type AtToken } from './framer.js';

const enc = (s: string) => new TextEncoder().encode(s);
const lines = (toks: AtToken[]) => toks.map((t) => (t.kind === 'line' ? t.text : '> '));

function feed(f: AtFramer, bytes: Uint8Array, cuts: number[]): AtToken[] {
  const out: AtToken[] = [];
  let at = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    out.push(...f.push(bytes.subarray(at, c)));
    at = c;
  }
  out.push(...f.push(bytes.subarray(at)));
  return out;
}

describe('AtFramer', () => {
  const reply = '\r\n+CSQ: 28,99\r\n\r\nOK\r\n';

  it('splits a V.250 response into lines and drops the empty ones', () => {
    expect(lines(new AtFramer().push(enc(reply)))).toEqual(['+CSQ: 28,99', 'OK']);
  });

  it('gives the echo (before E0) a line of its own', () => {
    expect(lines(new AtFramer().push(enc('AT+CSQ\r\r\n+CSQ: 28,99\r\n\r\nOK\r\n')))).toEqual(['AT+CSQ', '+CSQ: 28,99', 'OK']);
  });

  it('gives the same lines for a chunk boundary at every position', () => {
    const bytes = enc(`AT+CSQ\r${reply}\r\nRDY\r\n`);
    const whole = lines(new AtFramer().push(bytes));
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) expect(lines(feed(new AtFramer(), bytes, [i, j]))).toEqual(whole);
    }
  });

  it('drops an over-long line whole, counts it, and resynchronises at the next line break', () => {
    const f = new AtFramer({ maxLineBytes: 16 });
    const out = f.push(enc(`\r\n${'x'.repeat(40)}\r\nOK\r\n`));
    expect(lines(out)).toEqual(['OK']);
    expect(f.stats.overflows).toBe(1);
    expect(f.stats.droppedBytes).toBe(40);
    expect(f.pending).toBe(0);
  });

  it('reports the SMS prompt only while one is expected', () => {
    const f = new AtFramer();
    expect(f.push(enc('\r\n> '))).toEqual([]);
    f.reset();
    f.expectPrompt = true;
    expect(f.push(enc('\r\n> '))).toEqual([{ kind: 'prompt' }]);
  });

  it('never holds more than maxLineBytes, whatever arrives (fast-check, random bytes and splits)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(600), { maxLength: 8 }), (bytes, cuts) => {
      const f = new AtFramer({ maxLineBytes: 64 });
      const split = feed(f, bytes, cuts.map((c) => c % (bytes.length + 1)));
      expect(f.pending).toBeLessThanOrEqual(64);
      // Chunking never changes the result.
      expect(split).toEqual(new AtFramer({ maxLineBytes: 64 }).push(bytes));
      for (const t of split) if (t.kind === 'line') expect(t.text).not.toMatch(/[\r\n]/);
    }));
  });
});
