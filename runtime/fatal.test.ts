import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { EXIT_SOFTWARE, installFatalHandlers } from './fatal.js';
import { testLogger } from '../test/helpers/logger.js';

describe('installFatalHandlers', () => {
  it('logs an uncaught exception or unhandled rejection and exits non-zero', () => {
    const target = new EventEmitter();
    const exits: number[] = [];
    const off = installFatalHandlers(testLogger(), { exit: (c) => exits.push(c), target: target as unknown as NodeJS.Process });
    target.emit('uncaughtException', new Error('boom'));
    target.emit('unhandledRejection', 'nope');
    expect(exits).toEqual([EXIT_SOFTWARE, EXIT_SOFTWARE]);
    off();
    expect(target.listenerCount('uncaughtException') + target.listenerCount('unhandledRejection')).toBe(0);
  });
});
