/** Codes of the console's emergency alerts (docs/errors.md §Operations console: emergency alerts). */
import { defineErrorCodes, errorFactory } from '../../../protocols/errors.js';

export const AlertErrors = defineErrorCodes({
  SP_ALERT_CAP_INVALID: { message: 'the text is not a valid CAP 1.2 alert; the detail names the element' },
  SP_ALERT_EXPIRED: { message: 'the alert has already expired; poles would refuse it' },
  SP_ALERT_MSGTYPE: { message: 'a new alert must have msgType Alert; Update and Cancel are made from the alert\'s page' },
  SP_ALERT_AUDIENCE: { message: 'the audience must be all, group:<group> or pole:<pole id>' },
  SP_ALERT_NOT_FOUND: { message: 'no alert with this id' },
  SP_ALERT_STATE: { message: 'this step is not possible in the alert\'s current state' },
  SP_ALERT_ROLE: { message: 'your role does not allow this step' },
  SP_ALERT_SELF_APPROVAL: { message: 'four-eyes rule: the operator who asked to send an emergency alert cannot approve it; a second approver must' },
  SP_ALERT_REASON_REQUIRED: { message: 'an administrator\'s override and a refusal need a written reason' },
});
export const alertError = errorFactory(AlertErrors);
