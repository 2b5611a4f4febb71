/**
 * Command-line words and flags for the console (docs/console.md §Commands). Words split on spaces;
 * "double" and 'single' quotes group words (a backslash escapes the next character inside double
 * quotes); flags are `--name`, `--name=value`, `--name value` for flags that take a value, and the
 * short forms a command declares (`-h`, `-f`, `-n 20`). `--` ends the flags. A word that looks like a
 * negative number is a positional, not a flag.
 */

export type Tokens = { ok: true; words: string[] } | { ok: false; reason: string };

export function tokenize(line: string): Tokens {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) { quote = null; continue; }
      if (c === '\\' && quote === '"' && i + 1 < line.length) { cur += line[++i]; continue; }
      cur += c;
      continue;
    }
    if (c === '"' || c === "'") { quote = c; inWord = true; continue; }
    if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
      continue;
    }
    cur += c;
    inWord = true;
  }
  if (quote) return { ok: false, reason: `unterminated ${quote === '"' ? 'double' : 'single'} quote` };
  if (inWord) words.push(cur);
  return { ok: true, words };
}

export interface FlagSpec {
  name: string;
  /** Single-letter alias, without the dash. */
  short?: string;
  /** The flag takes a value (`--level warn`); otherwise it is a switch. */
  value?: boolean;
  description: string;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | true>;
}

export type ArgsResult = { ok: true; args: ParsedArgs } | { ok: false; reason: string };

export function parseFlags(words: string[], specs: readonly FlagSpec[]): ArgsResult {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') { positionals.push(...words.slice(i + 1)); break; }
    if (!w.startsWith('-') || w === '-' || /^-\d/.test(w)) { positionals.push(w); continue; }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      const name = eq < 0 ? w.slice(2) : w.slice(2, eq);
      inline = eq < 0 ? undefined : w.slice(eq + 1);
      spec = byName.get(name);
      if (!spec) return { ok: false, reason: `unknown flag --${name}` };
    } else {
      spec = byShort.get(w.slice(1));
      if (!spec || w.length !== 2) return { ok: false, reason: `unknown flag ${w}` };
    }
    if (spec.value) {
      const v = inline ?? words[++i];
      if (v === undefined) return { ok: false, reason: `--${spec.name} needs a value` };
      flags[spec.name] = v;
    } else {
      if (inline !== undefined) return { ok: false, reason: `--${spec.name} takes no value` };
      flags[spec.name] = true;
    }
  }
  return { ok: true, args: { positionals, flags } };
}

/** Finds `word` among `names`: exact match first, then a unique prefix. */
export type Match = { ok: true; name: string } | { ok: false; reason: 'none' | 'ambiguous'; candidates: string[] };

export function matchName(word: string, names: readonly string[]): Match {
  if (names.includes(word)) return { ok: true, name: word };
  const lower = word.toLowerCase();
  if (names.includes(lower)) return { ok: true, name: lower };
  const hits = names.filter((n) => n.startsWith(lower));
  if (hits.length === 1) return { ok: true, name: hits[0]! };
  return { ok: false, reason: hits.length ? 'ambiguous' : 'none', candidates: hits };
}

/** The closest names by edit distance, for "did you mean …?". */
export function suggest(word: string, names: readonly string[], max = 3): string[] {
  const d = (a: string, b: string): number => {
    const m = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) m[0]![j] = j;
    for (let i = 1; i <= a.length; i++) {
      for (let j = 1; j <= b.length; j++) {
        m[i]![j] = Math.min(m[i - 1]![j]! + 1, m[i]![j - 1]! + 1, m[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
    }
    return m[a.length]![b.length]!;
  };
  const w = word.toLowerCase().slice(0, 32);
  return names
    .map((n) => ({ n, s: d(w, n) }))
    .filter((x) => x.s <= Math.max(2, Math.ceil(x.n.length / 3)) && x.s < x.n.length)
    .sort((a, b) => a.s - b.s || a.n.localeCompare(b.n))
    .slice(0, max)
    .map((x) => x.n);
}
