import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { KeyDecoder, type Key } from './key-decoder.js';
import { LineEditor, type ReadSpec } from './line-editor.js';
import { charWidth } from './text-width.js';

/** A one-row virtual terminal: printable chars overwrite, BS moves left, CR/LF start a new row. */
class Screen {
  rows: string[][] = [[]];
  col = 0;
  write(s: string): void {
    for (const ch of s) {
      const row = this.rows.at(-1)!;
      if (ch === '\b') { this.col = Math.max(0, this.col - 1); continue; }
      if (ch === '\r') { this.col = 0; continue; }
      if (ch === '\n') { this.rows.push([]); continue; }
      if (ch === '\x07') continue;
      const w = charWidth(ch.codePointAt(0)!);
      row[this.col] = ch;
      if (w === 2) row[this.col + 1] = '';
      this.col += w;
    }
  }
  get line(): string {
    return this.rows.at(-1)!.map((c) => c ?? ' ').join('').trimEnd();
  }
}

function typeKeys(ed: LineEditor, keys: Key[], screen: Screen) {
  const events = [];
  for (const k of keys) {
    const r = ed.key(k);
    screen.write(r.out);
    if (r.event) events.push(r.event);
  }
  return events;
}

const keysOf = (s: string) => new KeyDecoder().push(new TextEncoder().encode(s));

describe('LineEditor', () => {
  it('echoes typing and hands over the line on Enter', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    sc.write(ed.begin({ prompt: '> ' }));
    const ev = typeKeys(ed, keysOf('statsu\x7f\x7fus\r'), sc);
    expect(ev).toEqual([{ type: 'line', text: 'status' }]);
    expect(sc.rows[0]!.join('')).toBe('> status');
  });

  it('edits in the middle of a line with the cursor keys', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    sc.write(ed.begin({ prompt: '> ' }));
    typeKeys(ed, keysOf('led tst\x1b[D\x1b[De\x1b[F pattern\x01x\x7f'), sc);
    expect(ed.text).toBe('led test pattern');
    expect(sc.line).toBe('> led test pattern');
  });

  it('Ctrl-U clears the line, Ctrl-W deletes a word, Ctrl-K cuts to the end', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    sc.write(ed.begin({ prompt: '> ' }));
    typeKeys(ed, keysOf('config show\x17'), sc);
    expect(ed.text).toBe('config ');
    typeKeys(ed, keysOf('\x15'), sc);
    expect(ed.text).toBe('');
    expect(sc.line).toBe('>');
    typeKeys(ed, keysOf('abc def\x01\x1bf\x0b'), sc);
    expect(ed.text).toBe('abc');
    expect(sc.line).toBe('> abc');
  });

  it('Ctrl-C abandons the line', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    sc.write(ed.begin({ prompt: '> ' }));
    expect(typeKeys(ed, keysOf('reboo\x03'), sc)).toEqual([{ type: 'interrupt' }]);
    expect(ed.active).toBe(false);
  });

  it('recalls history with up/down and keeps the draft', () => {
    const ed = new LineEditor({ historySize: 2 });
    const sc = new Screen();
    const spec: ReadSpec = { prompt: '> ', history: true };
    for (const l of ['one', 'two', 'three']) { sc.write(ed.begin(spec)); typeKeys(ed, keysOf(l + '\r'), sc); }
    expect(ed.history).toEqual(['two', 'three']);
    sc.write(ed.begin(spec));
    typeKeys(ed, keysOf('dr'), sc);
    typeKeys(ed, keysOf('\x1b[A'), sc);
    expect(ed.text).toBe('three');
    typeKeys(ed, keysOf('\x1b[A\x1b[A'), sc); // the second one rings the bell: only two kept
    expect(ed.text).toBe('two');
    expect(sc.line).toBe('> two');
    typeKeys(ed, keysOf('\x1b[B\x1b[B'), sc);
    expect(ed.text).toBe('dr');
    expect(sc.line).toBe('> dr');
  });

  it('obscures a PIN: stars, no history, no cursor movement', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    sc.write(ed.begin({ prompt: 'PIN: ', obscure: true, history: true }));
    const ev = typeKeys(ed, keysOf('24681\x7f\x1b[D0\r'), sc);
    expect(ev).toEqual([{ type: 'line', text: '24680' }]);
    expect(sc.rows[0]!.join('')).toBe('PIN: *****');
    expect(ed.history).toEqual([]);
  });

  it('completes a unique word, the common prefix, and lists the rest', () => {
    const ed = new LineEditor();
    const sc = new Screen();
    const names = ['led', 'lamp', 'log', 'logout', 'status'];
    const completer = (before: string) => {
      const token = before.split(' ').pop()!;
      return { token, candidates: names.filter((n) => n.startsWith(token)) };
    };
    sc.write(ed.begin({ prompt: '> ', completer }));
    typeKeys(ed, keysOf('st\t'), sc);
    expect(ed.text).toBe('status ');
    typeKeys(ed, keysOf('\x15lo\t'), sc);
    expect(ed.text).toBe('log');
    typeKeys(ed, keysOf('\t'), sc);
    expect(sc.rows.some((r) => r.join('') === 'log  logout')).toBe(true);
    expect(sc.line).toBe('> log');
  });

  it('caps the line length', () => {
    const ed = new LineEditor({ maxChars: 5 });
    ed.begin({ prompt: '' });
    for (const k of keysOf('abcdefgh')) ed.key(k);
    expect(ed.text).toBe('abcde');
    expect(ed.stats.overlong).toBe(3);
  });

  it('property: after any keys (no Enter), the screen row shows prompt + line and the cursor is where the editor says', () => {
    const key = fc.oneof(
      fc.constantFrom<Key>(
        { k: 'backspace' }, { k: 'delete' }, { k: 'left' }, { k: 'right' }, { k: 'home' }, { k: 'end' }, { k: 'up' }, { k: 'down' },
        { k: 'kill-line' }, { k: 'kill-to-end' }, { k: 'kill-word' }, { k: 'word-left' }, { k: 'word-right' }, { k: 'eof-or-delete' }, { k: 'tab' },
      ),
      fc.constantFrom('a', 'z', ' ', '-', '武', '汉', '1').map((ch): Key => ({ k: 'char', ch })),
    );
    fc.assert(fc.property(fc.array(key, { maxLength: 80 }), fc.boolean(), (keys, obscure) => {
      const ed = new LineEditor({ maxChars: 30 });
      // history so that up/down do something
      ed.begin({ prompt: '', history: true }); for (const k of keysOf('led 武汉 status\r')) ed.key(k);
      const sc = new Screen();
      sc.write(ed.begin({ prompt: '> ', obscure, history: true, completer: () => ({ token: '', candidates: ['x', 'xy'] }) }));
      typeKeys(ed, keys, sc);
      const shown = obscure ? '*'.repeat([...ed.text].length) : ed.text;
      expect(sc.line).toBe(('> ' + shown).trimEnd());
      expect(sc.rows.length).toBe(1);
    }), { numRuns: 400 });
  });
});
