/**
 * A TCP relay that behaves like a radio link: a fixed one-way delay and a bandwidth per direction
 * (bytes leave in order, each after the delay and after the bytes before it have "transmitted").
 * Benches put it between the simulated pole and the broker to see figures at a cellular link's
 * pace instead of loopback's.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface ShapedLinkOptions {
  upstreamPort: number;
  /** One-way delay, ms. */
  delayMs: number;
  /** Bytes per second towards the pole (downlink) and towards the broker (uplink). */
  downBps: number;
  upBps: number;
}

export interface ShapedLink { url: string; stop(): Promise<void>; readonly bytesDown: number }

function pipeShaped(from: Socket, to: Socket, delayMs: number, bps: number, count: (n: number) => void): void {
  let free = 0;
  from.on('data', (b: Buffer) => {
    const now = performance.now();
    free = Math.max(free, now) + (b.length / bps) * 1000;
    count(b.length);
    setTimeout(() => { if (!to.destroyed) to.write(b); }, free - now + delayMs);
  });
  from.on('close', () => setTimeout(() => to.destroy(), delayMs));
  from.on('error', () => to.destroy());
}

export async function startShapedLink(o: ShapedLinkOptions): Promise<ShapedLink> {
  let down = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((pole) => {
    const broker = connect(o.upstreamPort, '127.0.0.1');
    sockets.add(pole).add(broker);
    pipeShaped(pole, broker, o.delayMs, o.upBps, () => {});
    pipeShaped(broker, pole, o.delayMs, o.downBps, (n) => { down += n; });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', () => res()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    get bytesDown() { return down; },
    stop: () => new Promise<void>((res) => { for (const s of sockets) s.destroy(); server.close(() => res()); }),
  };
}
