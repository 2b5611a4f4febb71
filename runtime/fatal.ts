/**
 * The last line of defence (docs/security.md §Hostile input): an exception nothing caught, or a
 * rejected promise nobody awaited, leaves the process in a state no code reasoned about. It is
 * logged (with its stack, at fatal, flushed) and the process ends with EX_SOFTWARE (70) so the
 * supervisor (systemd `Restart=on-failure`) starts a clean one — never a silent half-alive pole.
 */
import type { Logger } from 'pino';

export const EXIT_SOFTWARE = 70; // EX_SOFTWARE from sysexits.h

export interface FatalHooks {
  /** Default process.exit. */
  exit?: (code: number) => void;
  /** Default process. */
  target?: Pick<NodeJS.Process, 'on' | 'off'>;
}

/** Installs the handlers; returns a function that removes them. */
export function installFatalHandlers(logger: Logger, hooks: FatalHooks = {}): () => void {
  const exit = hooks.exit ?? ((c: number) => process.exit(c));
  const target = hooks.target ?? process;
  const die = (kind: string) => (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    logger.fatal({ code: 'SP_FATAL', kind, err: err.message, stack: err.stack }, `${kind}: the process ends for the supervisor to restart it`);
    logger.flush?.();
    exit(EXIT_SOFTWARE);
  };
  const onException = die('uncaught exception');
  const onRejection = die('unhandled rejection');
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => { target.off('uncaughtException', onException); target.off('unhandledRejection', onRejection); };
}
