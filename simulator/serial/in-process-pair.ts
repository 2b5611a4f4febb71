/** The SerialPair for machines without socat: both ends live in this process (device/serial/in-process-binding). */
import { join } from 'node:path';
import type { BindingInterface } from '@serialport/bindings-interface';
import type { InProcessSerialHub } from '../../device/serial/in-process-binding.js';
import type { SerialPair } from './serial-pair.js';

export class InProcessPair implements SerialPair {
  readonly hostPath: string;
  readonly devicePath: string;
  private isPlugged = false;

  constructor(readonly name: string, dir: string, private readonly hub: InProcessSerialHub) {
    this.hostPath = join(dir, `${name}.pole`);
    this.devicePath = join(dir, name);
    hub.pair(this.hostPath, this.devicePath);
    hub.unplug(this.hostPath);
    hub.unplug(this.devicePath);
  }

  get binding(): BindingInterface {
    return this.hub.binding as unknown as BindingInterface;
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  async start(): Promise<void> {
    this.hub.plug(this.hostPath);
    this.hub.plug(this.devicePath);
    this.isPlugged = true;
  }

  async unplug(): Promise<void> {
    this.hub.unplug(this.hostPath);
    this.hub.unplug(this.devicePath);
    this.isPlugged = false;
  }

  replug(): Promise<void> {
    return this.start();
  }

  stop(): Promise<void> {
    return this.unplug();
  }
}
