/**
 * A simulated cable: two serial endpoints joined together. `hostPath` is what the runtime (or a
 * technician's terminal) opens; `devicePath` is what the simulated device opens. Unplugging makes
 * both paths disappear, as a USB device does, until `replug()`.
 */
import type { BindingInterface } from '@serialport/bindings-interface';

export interface SerialPair {
  readonly name: string;
  readonly hostPath: string;
  readonly devicePath: string;
  /** Binding to open either path with (OS binding for PTYs, the hub's for in-process pairs). */
  readonly binding: BindingInterface;
  readonly plugged: boolean;
  start(): Promise<void>;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}
