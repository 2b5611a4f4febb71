import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

/** Installing and provisioning a pole (docs/errors.md §Deployment). */
export const DeployErrors = defineErrorCodes({
  SP_PROVISION_INPUT: { message: 'a provisioning input is missing, unreadable or does not fit (certificate/key/CA/trust key/PIN hash/template)' },
});

export const deployError = errorFactory(DeployErrors);
