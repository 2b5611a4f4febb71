import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatFields, formatTable } from './table.js';
import { displayWidth, truncate, wrapText } from './text-width.js';
import { painter } from './ansi.js';

describe('text width', () => {
  it('counts CJK as two columns and ignores ANSI', () => {
    expect(displayWidth('江岸区 ok')).toBe(9);
    expect(displayWidth('\x1b[32mPASS\x1b[0m')).toBe(4);
    expect(truncate('武汉市江岸区澳门路', 9)).toBe('武汉市江…');
    expect(displayWidth(truncate('武汉市江岸区澳门路', 9))).toBeLessThanOrEqual(9);
  });

  it('wraps at spaces and between CJK characters', () => {
    expect(wrapText('the board did not answer HELLO within 5 s', 16)).toEqual(['the board did', 'not answer HELLO', 'within 5 s']);
    expect(wrapText('因管道检修停水', 6)).toEqual(['因管道', '检修停', '水']);
  });
});

describe('formatTable', () => {
  it('aligns columns and keeps a short table as is', () => {
    const lines = formatTable([{ title: 'CHECK' }, { title: 'RESULT' }, { title: 'TIME', align: 'right' }], [['led', 'PASS', '3 ms'], ['modem', 'SKIP', '0 ms']]);
    expect(lines).toEqual(['CHECK  RESULT  TIME', 'led    PASS    3 ms', 'modem  SKIP    0 ms']);
  });

  it('squeezes the widest column to fit 80 columns, wrapping where asked', () => {
    const long = 'broker unreachable at mqtt://10.0.0.1:1883: connect ECONNREFUSED; 12 records wait in the outbox and nothing is lost';
    const lines = formatTable([{ title: 'CHECK' }, { title: 'RESULT' }, { title: 'WHY', wrap: true }], [['mqtt', 'FAIL', long], ['led', 'PASS', 'ok']]);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
    expect(lines.length).toBe(4);
    expect(lines.slice(1, 3).map((l) => l.slice(15)).join(' ')).toBe(long);
  });

  it('colours after layout, so widths stay right', () => {
    const lines = formatTable([{ title: 'A' }, { title: 'RESULT', style: (c) => (c === 'PASS' ? 'green' : null) }, { title: 'B' }], [['x', 'PASS', 'y']], { paint: painter(true) });
    expect(lines[1]).toBe('x  \x1b[32mPASS  \x1b[0m  y');
  });

  it('property: any cells (CJK included) fit the width', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ' ', '汉', '1', '-'), maxLength: 60 });
    fc.assert(fc.property(fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 6 }), fc.integer({ min: 40, max: 120 }), (rows, width) => {
      const cols = [{ title: 'ONE' }, { title: 'TWO' }, { title: 'THREE', wrap: true }, { title: 'FOUR' }];
      for (const l of formatTable(cols, rows, { width })) expect(displayWidth(l)).toBeLessThanOrEqual(width);
    }));
  });
});

describe('formatFields', () => {
  it('aligns labels and wraps long values under the value column', () => {
    const lines = formatFields([['Pole', 'WH-JA-0001'], ['Alarms', 'led: serial device /dev/ttyACM0 unavailable: ENOENT; reopening with backoff, the screen stays dark until it returns']]);
    expect(lines[0]).toBe('Pole    WH-JA-0001');
    expect(lines[2]!.startsWith('        ')).toBe(true);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(80);
  });
});
