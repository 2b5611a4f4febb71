import { pino, type Logger } from 'pino';

/** A logger for tests: silent unless SMARTPOLE_TEST_LOG=debug|info is set. */
export function testLogger(): Logger {
  return pino({ level: process.env.SMARTPOLE_TEST_LOG ?? 'silent' });
}
