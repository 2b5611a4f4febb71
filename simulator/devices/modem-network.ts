/**
 * The simulated mobile network's data path: the pole's MQTT connection goes through this TCP
 * relay to the broker, and the relay passes traffic only while the simulated modem has a data
 * context up. When the network drops, connections are cut and new ones refused — so the outbox
 * fills, exactly as on a pole whose modem went offline.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';

export interface NetworkGateOptions {
  /** Where traffic goes when the path is up (the broker). */
  upstreamHost: string;
  upstreamPort: number;
  logger: Logger;
}

export class NetworkGate {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private up = false;
  readonly stats = { accepted: 0, refused: 0, cut: 0, bytesUp: 0, bytesDown: 0 };
  port = 0;

  constructor(private readonly o: NetworkGateOptions) {}

  /** mqtt://127.0.0.1:<port>: what the pole connects to instead of the broker. */
  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get isUp(): boolean {
    return this.up;
  }

  async start(): Promise<void> {
    const server = createServer((s) => this.onConnection(s));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  setUp(up: boolean): void {
    if (up === this.up) return;
    this.up = up;
    this.o.logger.debug({ device: 'sim-network', up }, up ? 'data path up' : 'data path down');
    if (!up) {
      for (const [a, b] of this.pairs) { a.destroy(); b.destroy(); this.stats.cut++; }
      this.pairs.clear();
    }
  }

  async stop(): Promise<void> {
    this.setUp(false);
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }

  private onConnection(client: Socket): void {
    client.on('error', () => {});
    if (!this.up) {
      this.stats.refused++;
      client.destroy();
      return;
    }
    this.stats.accepted++;
    const upstream = connect(this.o.upstreamPort, this.o.upstreamHost);
    upstream.on('error', () => client.destroy());
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const done = () => { this.pairs.delete(pair); client.destroy(); upstream.destroy(); };
    client.on('close', done);
    upstream.on('close', done);
    client.on('data', (d) => { this.stats.bytesUp += d.length; });
    upstream.on('data', (d) => { this.stats.bytesDown += d.length; });
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
