/**
 * Ed25519 verification off the main thread. A burst of signed messages (the retained set after a
 * reconnect, a fleet-wide push) is verified by a small worker_threads pool before the messages
 * are handled, so the event loop that renders the screen and talks to the devices is not held
 * up: one verify costs 0.1–0.3 ms on the development VM and more on a pole's ARM cores. The
 * MessageGate still decides; it only skips the crypto call for a buffer the pool has verified.
 * Without workers (one core, or `threads: 0`), or if a worker fails, verification runs inline.
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';

export interface VerifyItem {
  /** Base64 of the raw 32-byte Ed25519 public key. */
  publicKey: string;
  data: Buffer;
  sig: Buffer;
}

// Self-contained (no TypeScript, no imports of ours) so it runs from sources and from dist/.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createPublicKey, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', ({ id, items }) => {
  const out = items.map((it) => {
    try {
      let k = keys.get(it.publicKey);
      if (!k) {
        k = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(it.publicKey, 'base64').toString('base64url') }, format: 'jwk' });
        if (keys.size > 64) keys.clear();
        keys.set(it.publicKey, k);
      }
      return verify(null, it.data, k, it.sig);
    } catch { return false; }
  });
  parentPort.postMessage({ id, out });
});
`;

interface Pending { resolve: (v: boolean[]) => void; reject: (e: Error) => void }

export class SignatureVerifier {
  readonly threads: number;
  readonly stats = { batches: 0, verified: 0, failures: 0 };
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private rr = 0;
  private readonly log: Logger;
  private readonly timeoutMs: number;

  /** @param timeoutMs a batch not answered in this time fails over to inline verification for good. */
  constructor(o: { threads: number; logger: Logger; timeoutMs?: number }) {
    this.threads = Math.max(0, Math.floor(o.threads));
    this.timeoutMs = o.timeoutMs ?? 5000;
    const log = (this.log = o.logger.child({ service: 'trust' }));
    for (let i = 0; i < this.threads; i++) {
      const w = new Worker(WORKER_SOURCE, { eval: true });
      w.on('message', (m: { id: number; out: boolean[] }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.out);
      });
      w.on('error', (e) => {
        this.stats.failures++;
        log.error({ err: e.message }, 'signature worker failed; verifying inline');
        for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(e); }
        const at = this.workers.indexOf(w);
        if (at >= 0) this.workers.splice(at, 1);
      });
      // After the listeners: attaching a 'message' listener refs the worker's port again.
      w.unref();
      this.workers.push(w);
    }
  }

  /** Verdicts in item order; rejects if the pool cannot answer (the caller verifies inline then). */
  async verifyMany(items: VerifyItem[]): Promise<boolean[]> {
    if (items.length === 0) return [];
    if (this.workers.length === 0) throw new Error('no signature workers');
    this.stats.batches++;
    const n = this.workers.length;
    const per = Math.ceil(items.length / n);
    const parts: Promise<boolean[]>[] = [];
    for (let i = 0; i < items.length; i += per) {
      const chunk = items.slice(i, i + per);
      const w = this.workers[this.rr++ % n]!;
      const id = this.nextId++;
      parts.push(new Promise<boolean[]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ id, items: chunk });
      }));
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`signature workers did not answer in ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      const out = (await Promise.race([Promise.all(parts), timeout])).flat();
      this.stats.verified += out.length;
      return out;
    } catch (e) {
      // A pool that hangs must never hold up inbound messages: stop using it, verify inline.
      this.stats.failures++;
      this.log.error({ err: (e as Error).message }, 'signature workers failed; verifying inline from now on');
      void this.close();
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const ws = this.workers.splice(0);
    await Promise.all(ws.map((w) => w.terminate()));
    for (const [id, p] of this.pending) { this.pending.delete(id); p.reject(new Error('verifier closed')); }
  }
}
