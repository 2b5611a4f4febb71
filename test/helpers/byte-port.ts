/**
 * An in-process byte port for unit tests: it stands where a SerialLink stands under a driver
 * (LedLink, ModbusMaster, ConsoleTerminal), records every write and delivers what the test feeds.
 * No streams, no timers of its own, so a test on fake timers decides exactly when bytes arrive.
 * A scripted peer answers from `onWrite` (the test's device).
 */
import { EventEmitter } from 'node:events';
import { LinkState, type SerialLink, type SerialLinkEvents } from '../../device/serial/serial-link.js';
import { deviceError } from '../../device/errors.js';

export class FakeBytePort extends EventEmitter<SerialLinkEvents> {
  state: LinkState;
  /** Every write, in order, with the (fake) time it was made. */
  readonly writes: { at: number; bytes: Buffer }[] = [];
  /** The peer: called for each write after it is recorded. */
  onWrite: ((bytes: Buffer) => void) | null = null;

  constructor(readonly path = '/fake/port', open = true) {
    super();
    this.state = open ? LinkState.Open : LinkState.Idle;
  }

  get isOpen(): boolean {
    return this.state === LinkState.Open;
  }

  write(data: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(deviceError('SP_SERIAL_NOT_OPEN', { device: this.path, state: this.state }));
    const bytes = Buffer.from(data);
    this.writes.push({ at: performance.now(), bytes });
    this.onWrite?.(bytes);
    return Promise.resolve();
  }

  /** Bytes from the peer. */
  feed(bytes: Uint8Array): void {
    this.emit('data', Buffer.from(bytes));
  }

  /** The device appears (SerialLink's 'open'). */
  open(): void {
    this.state = LinkState.Open;
    this.emit('open');
  }

  /** The device goes away (SerialLink's 'close'). */
  close(reason = 'unplugged'): void {
    this.state = LinkState.Waiting;
    this.emit('close', reason);
  }

  /** Everything written so far as one buffer. */
  written(): Buffer {
    return Buffer.concat(this.writes.map((w) => w.bytes));
  }

  /** Typed as the SerialLink a driver expects (it uses only the members above). */
  asSerial(): SerialLink {
    return this as unknown as SerialLink;
  }
}
