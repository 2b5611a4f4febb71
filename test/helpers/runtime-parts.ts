/** The runtime's MQTT-side parts on an in-memory (or on-disk) SQLite database, for unit tests. */
import { openDatabase, type Db } from '../../runtime/storage/database.js';
import { Outbox } from '../../runtime/uplink/outbox.js';
import { Reporter } from '../../runtime/uplink/reporter.js';
import { MessageGate } from '../../runtime/trust/message-gate.js';
import { VersionRegistry } from '../../runtime/trust/version-registry.js';
import { poleTopics } from '../../protocols/topics.js';
import { testIssuer, type TestIssuer } from './keys.js';
import { testLogger } from './logger.js';

export interface Parts {
  db: Db;
  outbox: Outbox;
  reporter: Reporter;
  gate: MessageGate;
  versions: VersionRegistry;
  iss: TestIssuer;
  topics: ReturnType<typeof poleTopics>;
  clock: { now: number };
  now: () => number;
  logger: ReturnType<typeof testLogger>;
  /** Everything in the outbox, parsed, oldest first. */
  sent(): (Record<string, unknown> & { topic: string })[];
}

export function parts(start: number, file = ':memory:', iss = testIssuer()): Parts {
  const db = openDatabase(file);
  const clock = { now: start };
  const now = () => clock.now;
  const topics = poleTopics('smartpole/v1', 'WH-JA-0001', ['district/jiangan']);
  const outbox = new Outbox(db, { now });
  const logger = testLogger();
  const reporter = new Reporter({ outbox, topics, poleId: 'WH-JA-0001', timeZone: 'Asia/Shanghai', logger, now });
  const versions = new VersionRegistry(db);
  const gate = new MessageGate({ keys: new Map([[iss.kid, iss.trusted]]), prefix: 'smartpole/v1', poleId: 'WH-JA-0001', groups: ['district/jiangan'], versions, clockSkewSec: 120, now });
  return {
    db, outbox, reporter, gate, versions, iss, topics, clock, now, logger,
    sent: () => outbox.next(0, 100_000).map((r) => ({ topic: r.topic, ...(JSON.parse(r.payload.toString()) as Record<string, unknown>) })),
  };
}
