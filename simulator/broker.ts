/**
 * The embedded MQTT broker for `smartpole sim` (aedes, MQTT 3.1.1). Listens on loopback; if the
 * wanted port is taken (Debian's mosquitto package starts one on 1883) it says so and takes a
 * free port instead of failing (docs/simulator.md §Flags).
 */
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { Logger } from 'pino';

export interface EmbeddedBroker {
  readonly port: number;
  readonly url: string;
  /** Stops accepting and drops every client (a broker outage); start() brings it back on the same port. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  readonly running: boolean;
  close(): Promise<void>;
}

export async function listenWithFallback(server: Server, host: string, port: number, what: string, log: Logger, say: (m: string) => void): Promise<number> {
  const tryListen = (p: number) => new Promise<number>((resolve, reject) => {
    const onErr = (e: NodeJS.ErrnoException) => { server.off('listening', onOk); reject(e); };
    const onOk = () => { server.off('error', onErr); resolve((server.address() as { port: number }).port); };
    server.once('error', onErr);
    server.once('listening', onOk);
    server.listen(p, host);
  });
  try {
    return await tryListen(port);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw e;
    const got = await tryListen(0);
    say(`${what}: port ${port} is already in use (another broker or sim?); using free port ${got} instead.`);
    log.warn({ wanted: port, got }, `${what} port in use; took a free one`);
    return got;
  }
}

export async function startEmbeddedBroker(o: { host?: string; port: number; logger: Logger; say: (m: string) => void }): Promise<EmbeddedBroker> {
  const host = o.host ?? '127.0.0.1';
  const log = o.logger.child({ service: 'broker' });
  const aedes = await Aedes.createBroker({ drainTimeout: 10_000 });
  const sockets = new Set<Socket>();
  const makeServer = () => {
    const s = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      aedes.handle(sock);
    });
    return s;
  };
  let server = makeServer();
  const port = await listenWithFallback(server, host, o.port, 'MQTT broker', log, o.say);
  let running = true;
  aedes.on('clientError', (c, e) => log.debug({ client: c.id, err: e.message }, 'client error'));
  const stopServer = () => new Promise<void>((r) => {
    for (const s of sockets) s.destroy();
    server.close(() => r());
  });
  return {
    port,
    url: `mqtt://${host}:${port}`,
    get running() { return running; },
    async pause() {
      if (!running) return;
      running = false;
      await stopServer();
      log.warn('embedded broker paused (simulated outage)');
    },
    async resume() {
      if (running) return;
      server = makeServer();
      await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
      running = true;
      log.info('embedded broker resumed');
    },
    async close() {
      if (running) await stopServer();
      running = false;
      await new Promise<void>((r) => aedes.close(() => r()));
    },
  };
}
