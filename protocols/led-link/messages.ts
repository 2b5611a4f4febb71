/**
 * LED link messages (docs/protocols/led-link.md §3): a frame type plus a little-endian payload.
 * Each message has an encoder and a decoder that returns null for a malformed payload
 * (the receiver answers NAK BAD_PAYLOAD); decoders never throw. One file per message group;
 * this index re-exports them so callers import from one place.
 */
export * from './message-codes.js';
export * from './messages-session.js';
export * from './messages-display.js';
export * from './messages-status.js';
export * from './messages-transport.js';
