import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchName, parseFlags, suggest, tokenize } from './argv.js';
import { completeLine, type CompletionNode } from './complete.js';

describe('tokenize', () => {
  it('splits words and honours quotes', () => {
    expect(tokenize('  modem at  "AT+QENG=\\"servingcell\\""  ')).toEqual({ ok: true, words: ['modem', 'at', 'AT+QENG="servingcell"'] });
    expect(tokenize("config set pole.location.address '武汉市 江岸区'")).toEqual({ ok: true, words: ['config', 'set', 'pole.location.address', '武汉市 江岸区'] });
    expect(tokenize('a ""')).toEqual({ ok: true, words: ['a', ''] });
    expect(tokenize('say "hi')).toEqual({ ok: false, reason: 'unterminated double quote' });
  });

  it('property: never throws on any text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => { tokenize(s); }));
  });
});

describe('parseFlags', () => {
  const specs = [{ name: 'level', value: true, description: '' }, { name: 'follow', short: 'f', description: '' }, { name: 'json', description: '' }];
  it('separates flags from positionals', () => {
    expect(parseFlags(['tail', '50', '--level', 'warn', '-f', '--json'], specs)).toEqual({ ok: true, args: { positionals: ['tail', '50'], flags: { level: 'warn', follow: true, json: true } } });
    expect(parseFlags(['--level=debug', '--', '--json'], specs)).toEqual({ ok: true, args: { positionals: ['--json'], flags: { level: 'debug' } } });
    expect(parseFlags(['set', '-5'], specs)).toEqual({ ok: true, args: { positionals: ['set', '-5'], flags: {} } });
  });
  it('refuses unknown flags and missing values', () => {
    expect(parseFlags(['--colour'], specs)).toEqual({ ok: false, reason: 'unknown flag --colour' });
    expect(parseFlags(['--level'], specs)).toEqual({ ok: false, reason: '--level needs a value' });
    expect(parseFlags(['--json=1'], specs)).toEqual({ ok: false, reason: '--json takes no value' });
  });
});

describe('matchName and suggest', () => {
  const names = ['status', 'selftest', 'led', 'log', 'logout', 'lamp'];
  it('prefers an exact name, then a unique prefix', () => {
    expect(matchName('log', names)).toEqual({ ok: true, name: 'log' });
    expect(matchName('logo', names)).toEqual({ ok: true, name: 'logout' });
    expect(matchName('STA', names)).toEqual({ ok: true, name: 'status' });
    expect(matchName('s', names)).toEqual({ ok: false, reason: 'ambiguous', candidates: ['status', 'selftest'] });
    expect(matchName('x', names)).toEqual({ ok: false, reason: 'none', candidates: [] });
  });
  it('suggests close names', () => {
    expect(suggest('stauts', names)).toEqual(['status']);
    expect(suggest('lmap', names)).toContain('lamp');
  });
});

describe('completeLine', () => {
  const tree: CompletionNode[] = [
    { name: 'led', children: [{ name: 'status' }, { name: 'test', values: () => ['grid', 'grey', 'red'] }, { name: 'snapshot' }] },
    { name: 'log', children: [{ name: 'tail', flags: ['--level', '--follow'] }] },
    { name: 'logout' },
  ];
  it('completes commands, subcommands, values and flags', () => {
    expect(completeLine(tree, 'lo')).toEqual({ token: 'lo', candidates: ['log', 'logout'] });
    expect(completeLine(tree, 'led s')).toEqual({ token: 's', candidates: ['snapshot', 'status'] });
    expect(completeLine(tree, 'le te g')).toEqual({ token: 'g', candidates: ['grey', 'grid'] });
    expect(completeLine(tree, 'log tail --l')).toEqual({ token: '--l', candidates: ['--level'] });
    expect(completeLine(tree, 'led test grid ')).toEqual({ token: '', candidates: [] });
    expect(completeLine(tree, 'nope x')).toEqual({ token: 'x', candidates: [] });
  });
});
