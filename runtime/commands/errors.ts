import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Command errors (docs/errors.md §Commands): answered in `cmd/res` and on the console. */
export const CommandErrors = defineErrorCodes({
  SP_CMD_UNKNOWN: { message: 'no such command' },
  SP_CMD_BAD_ARGS: { message: 'command arguments are invalid' },
  SP_CMD_FAILED: { message: 'command failed' },
  SP_CMD_NOT_FITTED: { message: 'the device this command needs is not fitted on this pole' },
  SP_CMD_UNAVAILABLE: { message: 'what the command needs is not available right now' },
  SP_CMD_EXPIRED: { message: 'the command expired while it waited to run' },
  SP_CMD_TIMEOUT: { message: 'the command did not finish in time; it may still take effect' },
  SP_CMD_INTERRUPTED: { message: 'the pole restarted while the command ran; it may or may not have taken effect' },
  SP_CMD_RESPONSE_TOO_LARGE: { message: 'the result is larger than the response limit' },
});
export const commandError = errorFactory(CommandErrors);
