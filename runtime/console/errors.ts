import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/**
 * Console errors (docs/errors.md §Console): shown as one line `ERR <code> <message>`, or in
 * `--json` output as `{"ok": false, "status": <n>, "error": {"code", "message"}}`.
 * A device that is not fitted answers with SP_CMD_NOT_FITTED (runtime/commands/errors.ts).
 */
export const ConsoleErrors = defineErrorCodes({
  SP_CONSOLE_UNKNOWN: { message: 'no such command' },
  SP_CONSOLE_AMBIGUOUS: { message: 'the abbreviation matches more than one command' },
  SP_CONSOLE_BAD_ARGS: { message: 'the arguments are wrong' },
  SP_CONSOLE_FORBIDDEN: { message: 'this command needs the tech level' },
  SP_CONSOLE_WRONG_PIN: { message: 'wrong PIN' },
  SP_CONSOLE_LOCKED: { message: 'too many wrong PINs: PIN entry is locked for a while' },
  SP_CONSOLE_LOCKOUT: { message: 'the console locked PIN entry after repeated wrong PINs' },
  SP_CONSOLE_CONFIG_LOCKED: { message: 'this config key cannot be changed from the console (trust, TLS, broker credentials, the modem power-cycle hook, storage)' },
  SP_CONSOLE_SEALED: { message: 'the console is sealed after repeated lockouts: only the signed console.unlock command opens it' },
  SP_CONSOLE_NO_PIN: { message: 'no technician PIN is configured: only guest access is possible' },
  SP_CONSOLE_CANCELLED: { message: 'cancelled' },
  SP_CONSOLE_TIMEOUT: { message: 'the device did not answer in time' },
  SP_CONSOLE_UNSUPPORTED: { message: 'the device is fitted but its driver does not offer this yet' },
  SP_CONSOLE_BUSY: { message: 'the device is busy (e.g. a modem recovery is running)' },
  SP_CONSOLE_NEEDS_FORCE: { message: 'this command can disrupt the pole: repeat it with --force' },
  SP_CONSOLE_CONFIRM: { message: 'this command needs confirmation (--yes in scripts)' },
  SP_CONSOLE_NOT_FOUND: { message: 'no such item' },
  SP_CONSOLE_CONFIG_INVALID: { message: 'the new config value is invalid' },
  SP_CONSOLE_CONFIG_READONLY: { message: 'the config file cannot be changed from the console' },
});
export const consoleError = errorFactory(ConsoleErrors);
export type ConsoleErrorCode = keyof typeof ConsoleErrors;

/**
 * The `status` number in `--json` output: 0 success; 2 usage; 3 refused (level, lockout, needs
 * --force or confirmation, busy); 4 not fitted / unsupported; 5 cancelled or timed out; 1 anything else.
 */
export function jsonStatus(code: string): number {
  switch (code) {
    case 'SP_CONSOLE_UNKNOWN': case 'SP_CONSOLE_AMBIGUOUS': case 'SP_CONSOLE_BAD_ARGS': case 'SP_CMD_BAD_ARGS': case 'SP_CMD_UNKNOWN':
    case 'SP_CONSOLE_NOT_FOUND': case 'SP_CONSOLE_CONFIG_INVALID':
      return 2;
    case 'SP_CONSOLE_FORBIDDEN': case 'SP_CONSOLE_LOCKED': case 'SP_CONSOLE_NEEDS_FORCE': case 'SP_CONSOLE_CONFIRM': case 'SP_CONSOLE_BUSY':
    case 'SP_CONSOLE_CONFIG_READONLY':
      return 3;
    case 'SP_CMD_NOT_FITTED': case 'SP_CONSOLE_UNSUPPORTED':
      return 4;
    case 'SP_CONSOLE_CANCELLED': case 'SP_CONSOLE_TIMEOUT':
      return 5;
    default:
      return 1;
  }
}
