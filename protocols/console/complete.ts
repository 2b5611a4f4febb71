/**
 * Tab completion over the command tree (docs/console.md §Keys). Pure: walks the names the caller gives
 * (commands, subcommands, argument values, flags) and returns the candidates for the word
 * being typed. Earlier words resolve like the command line does (exact name or unique prefix).
 */
import type { Completion } from './line-editor.js';
import { matchName } from './argv.js';

export interface CompletionNode {
  name: string;
  children?: CompletionNode[];
  /** Values the first positional argument takes (e.g. LED test patterns, config keys). */
  values?: () => string[];
  flags?: string[];
}

export function completeLine(roots: CompletionNode[], before: string): Completion {
  const words = before.split(/\s+/);
  const token = words.pop() ?? '';
  const done = words.filter((w) => w !== '');
  let level: CompletionNode[] = roots;
  let node: CompletionNode | null = null;
  let positionals = 0;
  for (const w of done) {
    if (w.startsWith('-')) continue;
    const children: CompletionNode[] = node ? node.children ?? [] : level;
    const m = matchName(w, children.map((c) => c.name));
    if (m.ok && (node === null || positionals === 0)) {
      const next: CompletionNode = children.find((c) => c.name === m.name)!;
      node = next;
      level = next.children ?? [];
      continue;
    }
    if (!node) return { token, candidates: [] };
    positionals++;
  }
  let pool: string[];
  if (token.startsWith('-')) pool = node ? [...(node.flags ?? []), '--json', '--help'] : [];
  else if (!node) pool = roots.map((r) => r.name);
  else if (positionals === 0 && node.children?.length) pool = node.children.map((c) => c.name);
  else if (positionals === 0 && node.values) pool = node.values();
  else pool = [];
  const candidates = [...new Set(pool)].filter((n) => n.startsWith(token)).sort();
  return { token, candidates };
}
