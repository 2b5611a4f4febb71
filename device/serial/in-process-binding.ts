/**
 * A serialport binding whose ports are joined in pairs inside this process: what one end writes
 * the other end reads. It stands in for a socat PTY pair in unit tests and on machines without
 * socat (docs/simulator.md §Serial devices), so drivers and simulated devices run unchanged on top of it.
 * Unlike @serialport/binding-mock it has a peer, and it can be unplugged like a USB device.
 */
import type { BindingInterface, BindingPortInterface, OpenOptions, PortInfo, PortStatus } from '@serialport/bindings-interface';

interface Endpoint {
  path: string;
  peer: string;
  port: InProcessPort | null;
  present: boolean;
}

function canceled(message: string): Error & { canceled: boolean } {
  return Object.assign(new Error(message), { canceled: true });
}

export class InProcessPort implements BindingPortInterface {
  isOpen = true;
  private gone = false;
  private chunks: Buffer[] = [];
  private waiter: { resolve: () => void; reject: (e: Error) => void } | null = null;

  constructor(readonly openOptions: Required<OpenOptions>, private readonly hub: InProcessSerialHub) {}

  /** Called by the hub: bytes from the peer. */
  deliver(data: Buffer): void {
    this.chunks.push(Buffer.from(data));
    this.wake();
  }

  /**
   * Called by the hub when the device is unplugged: pending and future reads and writes fail with
   * EIO. isOpen stays true until the stream closes us, as with a real vanished TTY.
   */
  disconnect(): void {
    this.gone = true;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(Object.assign(new Error('EIO: device disconnected'), { code: 'EIO', disconnected: true }));
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.resolve();
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.chunks.length === 0) {
      if (!this.isOpen) throw canceled('port is closed');
      if (this.gone) throw Object.assign(new Error('EIO: device disconnected'), { code: 'EIO', disconnected: true });
      await new Promise<void>((resolve, reject) => (this.waiter = { resolve, reject }));
    }
    let bytesRead = 0;
    while (bytesRead < length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = Math.min(c.length, length - bytesRead);
      c.copy(buffer, offset + bytesRead, 0, n);
      bytesRead += n;
      if (n === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(n);
    }
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    if (!this.isOpen) throw canceled('port is closed');
    if (this.gone) throw Object.assign(new Error('EIO: device disconnected'), { code: 'EIO', disconnected: true });
    this.hub.transfer(this.openOptions.path, buffer);
  }

  async close(): Promise<void> {
    this.isOpen = false;
    const w = this.waiter;
    this.waiter = null;
    w?.reject(canceled('port closed'));
    this.hub.detach(this.openOptions.path, this);
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<PortStatus> { return { cts: true, dsr: true, dcd: true }; }
  async getBaudRate(): Promise<{ baudRate: number }> { return { baudRate: this.openOptions.baudRate }; }
  async flush(): Promise<void> { this.chunks = []; }
  async drain(): Promise<void> {}
}

/** Holds the pairs. One hub per simulated pole; there is no module-level state. */
export class InProcessSerialHub {
  private readonly endpoints = new Map<string, Endpoint>();

  /** Creates a linked pair, like `socat pty,link=a pty,link=b`. */
  pair(a: string, b: string): void {
    this.endpoints.set(a, { path: a, peer: b, port: null, present: true });
    this.endpoints.set(b, { path: b, peer: a, port: null, present: true });
  }

  /** Makes `path` vanish like an unplugged USB device; open ports on it get EIO. */
  unplug(path: string): void {
    const ep = this.endpoints.get(path);
    if (!ep) return;
    ep.present = false;
    ep.port?.disconnect();
    ep.port = null;
  }

  plug(path: string): void {
    const ep = this.endpoints.get(path);
    if (ep) ep.present = true;
  }

  isOpen(path: string): boolean {
    return this.endpoints.get(path)?.port?.isOpen ?? false;
  }

  transfer(from: string, data: Buffer): void {
    const ep = this.endpoints.get(from);
    if (!ep) return;
    const peer = this.endpoints.get(ep.peer);
    // Bytes sent to a closed or absent peer are lost, as on a real cable.
    if (peer?.present && peer.port?.isOpen) peer.port.deliver(data);
  }

  detach(path: string, port: InProcessPort): void {
    const ep = this.endpoints.get(path);
    if (ep && ep.port === port) ep.port = null;
  }

  readonly binding: BindingInterface<InProcessPort> = {
    list: async (): Promise<PortInfo[]> =>
      [...this.endpoints.values()].filter((e) => e.present).map((e) => ({
        path: e.path, manufacturer: 'smartpole in-process', serialNumber: undefined, pnpId: undefined,
        locationId: undefined, productId: undefined, vendorId: undefined,
      })),
    open: async (options: OpenOptions): Promise<InProcessPort> => {
      const ep = this.endpoints.get(options.path);
      if (!ep || !ep.present) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${options.path}'`), { code: 'ENOENT' });
      if (ep.port?.isOpen && options.lock !== false) throw new Error('Port is locked cannot open');
      const port = new InProcessPort({
        dataBits: 8, lock: true, stopBits: 1, parity: 'none', rtscts: false, xon: false, xoff: false, xany: false, hupcl: true,
        ...options,
      } as Required<OpenOptions>, this);
      ep.port = port;
      return port;
    },
  };
}
