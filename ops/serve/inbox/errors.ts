/** Codes of the console's citizens' messages inbox (docs/errors.md §Operations console: citizens' messages). */
import { defineErrorCodes, errorFactory } from '../../../protocols/errors.js';

export const InboxErrors = defineErrorCodes({
  SP_INBOX_NOT_FOUND: { message: 'no citizen message with this pole and ticket' },
  SP_INBOX_STATE: { message: 'this step is not possible in the message\'s current status' },
  SP_INBOX_DEPARTMENT: { message: 'no such department' },
  SP_INBOX_REPLY_INVALID: { message: 'the reply needs Chinese text (English optional), each within its length limit' },
  SP_INBOX_RECORD_INVALID: { message: 'a record on poles/{id}/feedback does not match its schema; logged and counted, not stored' },
});
export const inboxError = errorFactory(InboxErrors);
