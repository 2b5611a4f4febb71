/**
 * The notices area (docs/mqtt-api.md §Notices, §CAP alerts): the notice store, the intake of
 * signed notices and CAP alerts, their lifecycle (expiry receipts, withdrawals) and proof of play.
 * Registers `notice.list`. Emits `changed` (coalesced to the next tick) when what may play changed;
 * the screen and the signs refresh on it.
 */
import type { NoticeRef } from './notice-ref.js';
import { EventEmitter } from 'node:events';
import { noticeOnScreen, type PageModel } from '../../display/page-model.js';
import type { Config } from '../config/schema.js';
import type { InboundHandler } from '../inbound-router.js';
import type { ModuleBase } from '../module.js';
import type { StorageModule } from '../storage/module.js';
import type { MessageGate } from '../trust/message-gate.js';
import type { Reporter } from '../uplink/reporter.js';
import { CapIntake } from './cap-intake.js';
import { CapRegistry } from './cap-registry.js';
import { registerNoticeCommands } from './commands.js';
import { NoticeIntake } from './notice-intake.js';
import { NoticeLifecycle } from './notice-lifecycle.js';
import { NoticeStore } from './notice-store.js';
import { ProofOfPlay } from './proof-of-play.js';

export interface NoticesModule extends EventEmitter<{ changed: [] }> {
  readonly store: NoticeStore;
  readonly intake: NoticeIntake;
  readonly cap: CapIntake;
  readonly lifecycle: NoticeLifecycle;
  readonly proofOfPlay: ProofOfPlay;
  /** Handler for `notice` messages (signed notices and CAP alerts). */
  onNotice: InboundHandler<'notice'>;
  /** Handler: a frame reached the board (its tag names the notice shown) — proof of play. */
  onPresented(info: { tag?: NoticeRef | undefined }): void;
  /** Handler: the screen shows a new page — `notice.list` marks the notice on it as playing. */
  onPage(page: PageModel): void;
  start(): void;
  stop(): void;
}

export interface NoticesDeps extends Pick<ModuleBase, 'logger' | 'now' | 'commands'> {
  storage: StorageModule;
  gate: MessageGate;
  reporter: Reporter;
}

export function createNotices(config: Readonly<Config>, d: NoticesDeps): NoticesModule {
  const { logger: log, now, reporter } = d;
  const db = d.storage.db;
  const store = new NoticeStore(db);
  const registry = new CapRegistry(db);
  const cap = new CapIntake({
    store, registry, reporter, logger: log.child({ service: 'cap' }), clockSkewSec: config.trust.clockSkewSec,
    profile: { language: config.pole.language, testMode: config.pole.testMode, place: config.pole.location },
  });
  const intake = new NoticeIntake({ db, gate: d.gate, store, cap, reporter, logger: log, now });
  const lifecycle = new NoticeLifecycle({ db, store, registry, reporter, logger: log, now, onChange: () => intake.changed() });
  const proofOfPlay = new ProofOfPlay({ db, reporter, logger: log, timeZone: config.pole.timezone, now });
  let onScreen: string | null = null;
  registerNoticeCommands(d.commands, { store, timeZone: config.pole.timezone, now, onScreen: () => onScreen });

  const m = Object.assign(new EventEmitter<{ changed: [] }>(), {
    store, intake, cap, lifecycle, proofOfPlay,
    onNotice: ((t, payload, topic) => intake.handle(topic, t.target, t.id, payload)) as InboundHandler<'notice'>,
    onPresented: (info: { tag?: NoticeRef | undefined }) => proofOfPlay.onPresented(info.tag),
    onPage: (page: PageModel) => { onScreen = noticeOnScreen(page)?.id ?? null; },
    start() {
      lifecycle.start();
      proofOfPlay.start();
    },
    stop() {
      lifecycle.stop();
      proofOfPlay.stop();
    },
  });
  intake.on('changed', () => m.emit('changed'));
  return m;
}
