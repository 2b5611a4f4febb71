/**
 * Live feeds (docs/ops-console.md §Live feeds): Server-Sent Events at `/live?feeds=a,b`. A producer
 * calls `changed(feed)`; each subscribed page gets one `changed` event per feed at most every
 * `coalesceMs` and re-fetches the fragments bound to that feed (web/live.js). Events carry only the
 * feed name, never data, so a feed needs no access rules beyond the login the stream itself needs.
 */
import type { ServerResponse } from 'node:http';

interface Client { res: ServerResponse; feeds: Set<string> }

export class LiveHub {
  private readonly clients = new Set<Client>();
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly ping: NodeJS.Timeout;

  constructor(private readonly coalesceMs = 250) {
    // A comment line every 20 s keeps proxies from closing an idle stream.
    this.ping = setInterval(() => { for (const c of this.clients) c.res.write(': ping\n\n'); }, 20_000);
    this.ping.unref();
  }

  get size(): number { return this.clients.size; }

  /** Feeds are short names: `fleet`, `pole:WH-JA-0001`, `notice:n-…`. */
  attach(res: ServerResponse, feeds: string[]): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write('retry: 2000\n\n');
    const c: Client = { res, feeds: new Set(feeds.slice(0, 20)) };
    this.clients.add(c);
    res.on('close', () => this.clients.delete(c));
  }

  changed(feed: string): void {
    this.pending.add(feed);
    this.timer ??= setTimeout(() => this.flush(), this.coalesceMs);
  }

  private flush(): void {
    this.timer = null;
    const feeds = [...this.pending];
    this.pending.clear();
    for (const c of this.clients) {
      for (const f of feeds) if (c.feeds.has(f)) c.res.write(`event: changed\ndata: ${f}\n\n`);
    }
  }

  close(): void {
    clearInterval(this.ping);
    if (this.timer) clearTimeout(this.timer);
    for (const c of this.clients) c.res.end();
    this.clients.clear();
  }
}
