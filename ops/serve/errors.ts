/** Codes of `smartpole ops serve`, the operations console (docs/errors.md §Operations console). */
import { defineErrorCodes, errorFactory } from '../../protocols/errors.js';

export const ServeErrors = defineErrorCodes({
  SP_SERVE_NOT_FOUND: { message: 'no such page or resource' },
  SP_SERVE_BAD_REQUEST: { message: 'the request is malformed (a form field is missing or invalid)' },
  SP_SERVE_TOO_LARGE: { message: 'the request body is over the console\'s limit' },
  SP_SERVE_UNAUTHENTICATED: { message: 'not logged in, or the session ended' },
  SP_SERVE_FORBIDDEN: { message: 'the logged-in user\'s role does not allow this' },
  SP_SERVE_CSRF: { message: 'the form\'s anti-forgery token or the request\'s origin is wrong' },
  SP_SERVE_LOGIN_FAILED: { message: 'wrong user name or password' },
  SP_SERVE_LOCKED: { message: 'too many failed logins: the account is locked for a while' },
  SP_SERVE_WEAK_PASSWORD: { message: 'the password is too short (at least 12 characters)' },
  SP_SERVE_MQTT_DOWN: { message: 'the console is not connected to the broker: the message was not sent' },
  SP_SERVE_POLE_NO_ANSWER: { message: 'the pole did not answer the command in time' },
  SP_SERVE_INTERNAL: { message: 'an unexpected error in the console (logged with its stack)' },
});

export type ServeErrorCode = keyof typeof ServeErrors;
export const serveError = errorFactory(ServeErrors);

/** The HTTP status each code answers with. */
export const SERVE_STATUS: Record<ServeErrorCode, number> = {
  SP_SERVE_NOT_FOUND: 404, SP_SERVE_BAD_REQUEST: 400, SP_SERVE_TOO_LARGE: 413, SP_SERVE_UNAUTHENTICATED: 401,
  SP_SERVE_FORBIDDEN: 403, SP_SERVE_CSRF: 403, SP_SERVE_LOGIN_FAILED: 401, SP_SERVE_LOCKED: 429, SP_SERVE_WEAK_PASSWORD: 400,
  SP_SERVE_MQTT_DOWN: 503, SP_SERVE_POLE_NO_ANSWER: 504, SP_SERVE_INTERNAL: 500,
};
