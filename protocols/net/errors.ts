import { defineErrorCodes, errorFactory } from '../errors.js';

/** Errors of the host network tables the runtime reads (docs/errors.md §Modem: host data path). */
export const NetErrors = defineErrorCodes({
  SP_NET_BAD_ROUTE_TABLE: { message: 'the kernel routing table is not in the expected format' },
});
export const netError = errorFactory(NetErrors);
