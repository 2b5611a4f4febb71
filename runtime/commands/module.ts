/**
 * The MQTT command channel (docs/mqtt-api.md §Commands): signed commands on `…/cmd/…` run from the
 * command registry every area registers into, answered on the response topic, journalled so a
 * redelivered command is answered again instead of run twice.
 */
import type { Config } from '../config/schema.js';
import type { InboundHandler } from '../inbound-router.js';
import type { ModuleBase } from '../module.js';
import type { StorageModule } from '../storage/module.js';
import type { TrustModule } from '../trust/module.js';
import type { UplinkModule } from '../uplink/module.js';
import { CommandChannel } from './command-channel.js';
import { CommandJournal } from './command-journal.js';

export interface CommandChannelModule {
  readonly channel: CommandChannel;
  /** Handler for `cmd` messages. */
  onCommand: InboundHandler<'cmd'>;
  start(): void;
  stop(): void;
}

export interface CommandChannelDeps extends Pick<ModuleBase, 'logger' | 'now' | 'commands'> {
  storage: StorageModule;
  trust: Pick<TrustModule, 'gate' | 'versions'>;
  uplink: Pick<UplinkModule, 'reporter' | 'pruneSafe'>;
}

export function createCommandChannel(config: Readonly<Config>, d: CommandChannelDeps): CommandChannelModule {
  const { db } = d.storage;
  const channel = new CommandChannel({
    db, gate: d.trust.gate, versions: d.trust.versions, journal: new CommandJournal(db), registry: d.commands, reporter: d.uplink.reporter, logger: d.logger,
    poleId: config.pole.id, timeZone: config.pole.timezone, clockSkewSec: config.trust.clockSkewSec, now: d.now, maxResponseBytes: config.uplink.maxResponseBytes,
    pruneSafe: () => d.uplink.pruneSafe(),
  });
  return {
    channel,
    onCommand: (_t, payload, topic) => channel.handle(topic, payload),
    start: () => channel.start(),
    stop: () => channel.stop(),
  };
}
