import type { ConsoleCommand } from '../command-tree.js';
import type { SelfCheck } from '../selftest.js';

/** One file's contribution: a top-level command (with its subcommands) and its selftest checks. */
export interface ConsoleModule {
  command: ConsoleCommand;
  checks?: SelfCheck[];
}
