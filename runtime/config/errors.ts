import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Configuration errors (docs/errors.md §Configuration). */
export const ConfigErrors = defineErrorCodes({
  SP_CONFIG_UNREADABLE: { message: 'config file cannot be read' },
  SP_CONFIG_SYNTAX: { message: 'config file is not valid YAML or JSON' },
  SP_CONFIG_INVALID: { message: 'config file has an invalid field' },
});
export const configError = errorFactory(ConfigErrors);
