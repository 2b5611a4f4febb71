/**
 * Fetches a package's chunks over MQTT (docs/updates.md §Chunks): each chunk is retained on its own
 * topic, so subscribing to a chunk's topic delivers it. At most `window` chunk subscriptions are open
 * at a time; each is dropped once its chunk is stored. What a drop or restart lost is simply
 * subscribed again: the download resumes from the chunks on disk, and no server is needed beside
 * the broker. A window that stalls is subscribed afresh (the broker resends retained chunks).
 */
import type { Logger } from 'pino';
import { chunkTopic } from '../../protocols/update.js';
import type { ChunkStore } from './chunk-store.js';

export interface ChunkSubscriber {
  readonly connected: boolean;
  subscribeTopics(topics: readonly string[]): Promise<void>;
  unsubscribeTopics(topics: readonly string[]): Promise<void>;
}

export interface FetcherOptions {
  mqtt: ChunkSubscriber;
  prefix: string;
  store: ChunkStore;
  window: number;
  stallMs: number;
  logger: Logger;
  onProgress: (percent: number) => void;
  onBadChunk: (index: number) => void;
  onComplete: () => void;
}

export class ChunkFetcher {
  private readonly inFlight = new Set<number>();
  private stallTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private writing: Promise<void> = Promise.resolve();
  readonly stats = { received: 0, duplicates: 0, bad: 0, resubscribed: 0, bytes: 0 };

  constructor(private readonly o: FetcherOptions) {}

  get key(): string {
    return this.o.store.plan.sha256.slice(0, 16);
  }

  /** (Re)starts the window: after start, after every reconnect. */
  resume(): void {
    if (this.stopped) return;
    this.inFlight.clear();
    this.fill();
  }

  /** A message on this package's chunk topic. Writes go one after another. */
  onChunk(index: number, data: Buffer): void {
    if (this.stopped) return;
    this.writing = this.writing.then(async () => {
      if (this.stopped) return;
      const r = await this.o.store.put(index, data);
      const topic = chunkTopic(this.o.prefix, this.o.store.plan.sha256, index);
      if (r === 'bad-hash') {
        this.stats.bad++;
        this.o.onBadChunk(index);
        // Dropped; fetched again after the stall timeout (a broker bridge may have mangled it once).
        return;
      }
      if (r === 'duplicate') this.stats.duplicates++;
      if (r === 'stored') { this.stats.received++; this.stats.bytes += data.length; }
      this.inFlight.delete(index);
      void this.o.mqtt.unsubscribeTopics([topic]).catch(() => {});
      if (r === 'stored') this.o.onProgress(this.o.store.percent());
      if (this.o.store.complete) { this.stop(); this.o.onComplete(); return; }
      this.fill();
    }).catch((e: Error) => this.o.logger.error({ err: e.message, index }, 'chunk write failed'));
  }

  private fill(): void {
    if (this.stopped || !this.o.mqtt.connected) return;
    const want = this.o.store.missing().filter((i) => !this.inFlight.has(i)).slice(0, Math.max(0, this.o.window - this.inFlight.size));
    if (want.length === 0 && this.inFlight.size === 0) return;
    for (const i of want) this.inFlight.add(i);
    this.armStall();
    if (want.length) {
      this.o.mqtt.subscribeTopics(want.map((i) => chunkTopic(this.o.prefix, this.o.store.plan.sha256, i))).catch((e: Error) => {
        this.o.logger.debug({ err: e.message }, 'chunk subscribe failed; retried after the stall timeout');
      });
    }
  }

  private armStall(): void {
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      if (this.stopped) return;
      this.stats.resubscribed++;
      const topics = [...this.inFlight].map((i) => chunkTopic(this.o.prefix, this.o.store.plan.sha256, i));
      this.o.logger.info({ chunks: this.inFlight.size }, 'chunks stalled: subscribing again');
      void this.o.mqtt.unsubscribeTopics(topics).catch(() => {}).then(() => this.resume());
    }, this.o.stallMs);
    this.stallTimer.unref?.();
  }

  stop(): void {
    this.stopped = true;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = null;
    const topics = [...this.inFlight].map((i) => chunkTopic(this.o.prefix, this.o.store.plan.sha256, i));
    this.inFlight.clear();
    void this.o.mqtt.unsubscribeTopics(topics).catch(() => {});
  }

  /** Resolves once the writes queued so far are done. */
  idle(): Promise<void> {
    return this.writing;
  }
}
