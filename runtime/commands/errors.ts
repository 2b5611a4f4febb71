import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Command errors (docs/errors.md §Commands): answered in `cmd/res` and on the console. */
export const CommandErrors = defineErrorCodes({
  SP_CMD_UNKNOWN: { message: 'no such command' },
  SP_CMD_BAD_ARGS: { message: 'command arguments are invalid' },
  SP_CMD_FAILED: { message: 'command failed' },
  SP_CMD_NOT_FITTED: { message: 'the device this command needs is not fitted on this pole' },
});
export const commandError = errorFactory(CommandErrors);
