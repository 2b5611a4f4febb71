import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyDecoder, type Key } from './key-decoder.js';

const enc = (s: string) => new TextEncoder().encode(s);
const decodeAll = (bytes: Uint8Array, cuts: number[] = []): Key[] => {
  const d = new KeyDecoder();
  const out: Key[] = [];
  let from = 0;
  for (const c of [...cuts, bytes.length]) { out.push(...d.push(bytes.subarray(from, c))); from = c; }
  return out;
};

describe('KeyDecoder', () => {
  it('gives one Enter for CR, LF and CRLF', () => {
    expect(decodeAll(enc('a\rb\nc\r\nd'))).toEqual([
      { k: 'char', ch: 'a' }, { k: 'enter' }, { k: 'char', ch: 'b' }, { k: 'enter' },
      { k: 'char', ch: 'c' }, { k: 'enter' }, { k: 'char', ch: 'd' },
    ]);
    expect(decodeAll(enc('\r\r\n\n'))).toEqual([{ k: 'enter' }, { k: 'enter' }, { k: 'enter' }]);
  });

  it('maps BS and DEL to backspace, and the control keys', () => {
    expect(decodeAll(Uint8Array.of(0x08, 0x7f, 0x03, 0x15, 0x09, 0x17, 0x0c, 0x01, 0x05, 0x04, 0x0b)).map((k) => k.k)).toEqual([
      'backspace', 'backspace', 'interrupt', 'kill-line', 'tab', 'kill-word', 'clear-screen', 'home', 'end', 'eof-or-delete', 'kill-to-end',
    ]);
  });

  it('decodes arrows in CSI and SS3 form, Home/End/Delete variants, and Alt-b/f', () => {
    const s = '\x1b[A\x1b[B\x1b[C\x1b[D\x1bOA\x1bOB\x1b[H\x1b[F\x1b[1~\x1b[4~\x1b[3~\x1b[1;5C\x1bb\x1bf';
    expect(decodeAll(enc(s)).map((k) => k.k)).toEqual([
      'up', 'down', 'right', 'left', 'up', 'down', 'home', 'end', 'home', 'end', 'delete', 'right', 'word-left', 'word-right',
    ]);
  });

  it('ignores terminal replies, F-keys and bracketed-paste marks, keeping the text around them', () => {
    const d = new KeyDecoder();
    const keys = d.push(enc('a\x1b[?1;2cb\x1b[15~\x1b[200~xy\x1b[201~'));
    expect(keys).toEqual([{ k: 'char', ch: 'a' }, { k: 'char', ch: 'b' }, { k: 'char', ch: 'x' }, { k: 'char', ch: 'y' }]);
    expect(d.stats.ignoredSequences).toBe(4);
  });

  it('decodes UTF-8 characters and drops malformed ones', () => {
    expect(decodeAll(enc('武汉'))).toEqual([{ k: 'char', ch: '武' }, { k: 'char', ch: '汉' }]);
    const d = new KeyDecoder();
    // overlong "/", a lone continuation byte, a truncated 3-byte char followed by "a", a surrogate
    expect(d.push(Uint8Array.of(0xc0, 0xaf, 0x80, 0xe6, 0xad, 0x61, 0xed, 0xa0, 0x80))).toEqual([{ k: 'char', ch: 'a' }]);
    expect(d.stats.malformed).toBeGreaterThanOrEqual(3);
  });

  it('abandons a runaway escape sequence after 16 bytes', () => {
    const d = new KeyDecoder();
    const keys = d.push(enc('\x1b[' + '1'.repeat(40) + 'A' + 'z'));
    expect(keys.at(-1)).toEqual({ k: 'char', ch: 'z' });
    expect(d.stats.malformed).toBe(1);
  });

  it('decodes the same whatever the read boundaries (every split of a mixed sequence)', () => {
    const bytes = enc('ls\r\n\x1b[A\x1bOB武\x7f\x1b[3~x\r\ny\n\x03');
    const whole = decodeAll(bytes);
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j++) expect(decodeAll(bytes, [i, j])).toEqual(whole);
    }
  });

  it('property: random bytes split anywhere never throw and decode as if whole', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(200), { maxLength: 8 }), (bytes, rawCuts) => {
      const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
      expect(decodeAll(bytes, cuts)).toEqual(decodeAll(bytes));
    }), { numRuns: 500 });
  });
});
