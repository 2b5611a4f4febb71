/**
 * The trust area (docs/security.md §Trust list, docs/mqtt-api.md §What a bad message gets): the
 * door every inbound message passes. The inbound router queues MQTT messages and hands each kind to
 * its area's handler in one transaction per burst, after the signatures of the burst were checked
 * in worker threads; the message gate checks envelope, signature, key powers, audience and
 * version; the trust list intake applies the fleet's signed key list. Adds `trust` to the birth.
 */
import { availableParallelism } from 'node:os';
import type { Config } from '../config/schema.js';
import { InboundRouter, type InboundHandler } from '../inbound-router.js';
import type { ModuleBase } from '../module.js';
import type { StorageModule } from '../storage/module.js';
import type { BirthParts } from '../uplink/module.js';
import type { Reporter } from '../uplink/reporter.js';
import { KeyRing } from './key-ring.js';
import { MessageGate } from './message-gate.js';
import { SignatureVerifier } from './signature-verifier.js';
import { TrustListIntake } from './trust-list-intake.js';
import { VersionRegistry } from './version-registry.js';

export interface TrustModule {
  readonly gate: MessageGate;
  readonly versions: VersionRegistry;
  readonly keyRing: KeyRing;
  /** Emits `applied` when a new trust list is in force. */
  readonly trustList: TrustListIntake;
  /** Routes each inbound kind to the handler an area gave with `inbound.on(kind, handler)`. */
  readonly inbound: InboundRouter;
  /** Handler: an MQTT message arrived (queued, handled on the next tick with its burst). */
  dispatch(topic: string, payload: Buffer, retain: boolean): void;
  /** Handler for `trust` messages: a signed trust list. */
  onTrustList: InboundHandler<'trust'>;
  start(): void;
  stop(): void;
  /** After the uplink is closed: handles what is queued, then ends the verifier threads. */
  close(): Promise<void>;
}

export interface TrustDeps extends Pick<ModuleBase, 'logger' | 'now'> {
  storage: StorageModule;
  reporter: Reporter;
  birth: BirthParts;
}

export function createTrust(config: Readonly<Config>, d: TrustDeps): TrustModule {
  const { logger: log, now, storage, reporter } = d;
  const versions = new VersionRegistry(storage.db);
  // Signatures of bursts are checked in worker threads, keeping the main thread for screen and devices.
  const verifier = new SignatureVerifier({ threads: Math.min(2, availableParallelism() - 1), logger: log });
  const keyRing = new KeyRing(config.trust);
  const trustList = new TrustListIntake({ db: storage.db, ring: keyRing, root: config.trust.root, reporter, logger: log, clockSkewSec: config.trust.clockSkewSec, now });
  const gate = new MessageGate({ keys: keyRing, prefix: config.mqtt.topicPrefix, poleId: config.pole.id, groups: config.pole.groups, versions, clockSkewSec: config.trust.clockSkewSec, now, verifier });
  const inbound = new InboundRouter({
    report: (e) => reporter.event(e), prefix: config.mqtt.topicPrefix, poleId: config.pole.id, logger: log, storage: storage.disk,
    prepare: (payloads) => gate.preverify(payloads), batch: storage.batch,
  });
  d.birth.register('trust', () => trustList.status());
  return {
    gate, versions, keyRing, trustList, inbound,
    dispatch: (topic, payload, retain) => inbound.dispatch(topic, payload, retain),
    onTrustList: (_t, payload, topic) => trustList.handle(topic, payload),
    start: () => trustList.start(),
    stop: () => trustList.stop(),
    async close() {
      await inbound.flush();
      await verifier.close();
    },
  };
}
