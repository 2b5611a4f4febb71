/**
 * The MQTT-side of a pole in-process for the adversarial suite: router → intakes → stores, on one
 * SQLite database, with a clock the test moves (each case a minute apart, so the per-code event
 * budget never hides a refusal). Real codecs, gate, stores and outbox; no broker (test/security/
 * sim-attacks.test.ts has the broker, the board and its framebuffer).
 */
import { z } from 'zod';
import { InboundRouter } from '../../runtime/inbound-router.js';
import { NoticeStore } from '../../runtime/notices/notice-store.js';
import { CapRegistry } from '../../runtime/notices/cap-registry.js';
import { CapIntake } from '../../runtime/notices/cap-intake.js';
import { NoticeIntake } from '../../runtime/notices/notice-intake.js';
import { DataSetStore } from '../../runtime/data/dataset-store.js';
import { DataSetIntake } from '../../runtime/data/dataset-intake.js';
import { FeedbackStore } from '../../runtime/feedback/feedback-store.js';
import { ReplyIntake } from '../../runtime/feedback/reply-intake.js';
import { CommandRegistry } from '../../runtime/commands/registry.js';
import { CommandJournal } from '../../runtime/commands/command-journal.js';
import { CommandChannel } from '../../runtime/commands/command-channel.js';
import { MessageGate } from '../../runtime/trust/message-gate.js';
import { KeyRing } from '../../runtime/trust/key-ring.js';
import { TrustListIntake } from '../../runtime/trust/trust-list-intake.js';
import type { Config } from '../../runtime/config/schema.js';
import { parts, type Parts } from '../helpers/runtime-parts.js';

export const POLE = 'WH-JA-0001';
export const P = 'smartpole/v1';

export interface Rig extends Parts {
  router: InboundRouter;
  notices: NoticeStore;
  datasets: DataSetStore;
  feedback: FeedbackStore;
  journal: CommandJournal;
  ring: KeyRing;
  trust: TrustListIntake;
  runs: string[];
  /** Publishes as the broker would deliver it, handles it, and moves the clock a minute on. */
  deliver(topic: string, raw: string | Buffer): Promise<void>;
  /** Events and receipts since `from` (an index into sent()). */
  since(from: number): (Record<string, unknown> & { topic: string })[];
}

export function rig(start: number, trust: Partial<Config['trust']> = {}, file = ':memory:'): Rig {
  const p = parts(start, file);
  const ring = new KeyRing({ keys: [{ kid: p.iss.kid, issuer: p.iss.issuer, publicKey: p.iss.publicKey }], revokedKids: [], clockSkewSec: 120, ...trust });
  const gate = new MessageGate({ keys: ring, prefix: P, poleId: POLE, groups: ['district/jiangan'], versions: p.versions, clockSkewSec: 120, now: p.now });
  const notices = new NoticeStore(p.db);
  const cap = new CapIntake({ store: notices, registry: new CapRegistry(p.db), reporter: p.reporter, logger: p.logger, clockSkewSec: 120, profile: { language: 'zh', testMode: false, place: { lat: 30.6043, lon: 114.3012, areaCode: '420102' } } });
  const intake = new NoticeIntake({ db: p.db, gate, store: notices, cap, reporter: p.reporter, logger: p.logger, now: p.now });
  const datasets = new DataSetStore(p.db);
  const dsIntake = new DataSetIntake({ db: p.db, gate, store: datasets, reporter: p.reporter, logger: p.logger, now: p.now });
  const feedback = new FeedbackStore(p.db);
  const replies = new ReplyIntake({ db: p.db, gate, store: feedback, reporter: p.reporter, logger: p.logger, now: p.now });
  const runs: string[] = [];
  const registry = new CommandRegistry();
  for (const name of ['ping', 'charger.start', 'lamp.set', 'screen.snapshot']) {
    registry.register({ name, description: name, args: z.record(z.string(), z.unknown()), run: () => { runs.push(name); return { ran: name }; } });
  }
  const journal = new CommandJournal(p.db);
  const commands = new CommandChannel({
    db: p.db, gate, versions: p.versions, journal, registry, reporter: p.reporter, logger: p.logger, poleId: POLE, timeZone: 'Asia/Shanghai', clockSkewSec: 120, now: p.now,
  });
  const trustIntake = new TrustListIntake({ db: p.db, ring, root: trust.root, reporter: p.reporter, logger: p.logger, clockSkewSec: 120, now: p.now });
  const router = new InboundRouter({ prefix: P, poleId: POLE, logger: p.logger, batch: (run) => p.db.transaction(run)() })
    .on('notice', (t, raw, topic) => intake.handle(topic, t.target, t.id, raw))
    .on('cmd', (_t, raw, topic) => commands.handle(topic, raw))
    .on('data', (t, raw, topic) => dsIntake.handle(topic, t.dataset, t.poleId ? 'pole' : 'all', raw))
    .on('reply', (t, raw, topic) => replies.handle(topic, t.ticket, raw))
    .on('trust', (_t, raw, topic) => trustIntake.handle(topic, raw));
  return {
    ...p, router, notices, datasets, feedback, journal, ring, trust: trustIntake, runs,
    deliver: async (topic, raw) => {
      router.dispatch(topic, Buffer.from(raw), true);
      await router.flush();
      await new Promise((r) => setTimeout(r, 5)); // commands run on the next turn
      p.clock.now += 61_000;
    },
    since: (from) => p.sent().slice(from),
  };
}
