/**
 * Base of every field-bus device driver: reads one snapshot per poll, keeps the last good one,
 * and reports failures as events instead of throwing into the poll loop.
 */
import { EventEmitter } from 'node:events';
import { errorCode } from '../../../protocols/errors.js';
import { UnitState } from '../modbus-master.js';
import type { UnitClient } from '../unit-client.js';
import type { Priority } from '../request-queue.js';

export interface DriverError {
  code: string;
  message: string;
  at: number;
}

export abstract class UnitDriver<R> extends EventEmitter<{ reading: [R]; failure: [DriverError] }> {
  last: R | null = null;
  lastAt = 0;
  lastError: DriverError | null = null;

  constructor(readonly client: UnitClient, protected readonly now: () => number = Date.now) {
    super();
  }

  get name(): string {
    return this.client.name;
  }

  get address(): number {
    return this.client.address;
  }

  get state(): UnitState {
    return this.client.master.unitState(this.client.address);
  }

  get online(): boolean {
    return this.state === UnitState.Online;
  }

  protected abstract read(priority: Priority): Promise<R>;

  /** One snapshot; null (and a 'failure' event) when the unit fails. */
  async poll(priority: Priority = 'poll'): Promise<R | null> {
    try {
      const r = await this.read(priority);
      this.last = r;
      this.lastAt = this.now();
      this.emit('reading', r);
      return r;
    } catch (e) {
      this.lastError = { code: errorCode(e), message: (e as Error).message, at: this.now() };
      this.emit('failure', this.lastError);
      return null;
    }
  }
}
