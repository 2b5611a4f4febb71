/**
 * `outbox status` (docs/console.md §Commands): the durable uplink queue — depth by class, age, bytes,
 * counters.
 */
import { formatFields, formatTable } from '../../../protocols/console/table.js';
import { formatBytes, formatCount, formatDuration } from '../../../protocols/console/units.js';
import { OUTBOX_CLASSES } from '../../uplink/outbox.js';
import type { ConsoleModule } from './module.js';

export const outboxModule: ConsoleModule = {
  command: {
    name: 'outbox', level: 'tech', summary: 'the durable uplink queue (records waiting for MQTT)', defaultSub: 'status',
    subcommands: [{
      name: 'status', level: 'tech', summary: 'records waiting by class, oldest age, size, sent and dropped',
      run(ctx) {
        const e = ctx.env;
        const now = e.now();
        const agg = e.outbox.summary();
        const byClass = e.outbox.depthByClass();
        const s = e.outbox.stats;
        const result = {
          depth: agg.n, bytes: agg.bytes, oldestAgeSec: agg.oldest === null ? null : Math.round((now - agg.oldest) / 1000),
          byClass: Object.fromEntries(OUTBOX_CLASSES.map((c) => [c, byClass[c] ?? 0])), sinceStart: { enqueued: s.enqueued, acked: s.acked, dropped: s.dropped },
          mqttState: e.mqtt.state,
        };
        return {
          result,
          text: [
            ...formatFields([
              ['Waiting', `${formatCount(agg.n, 'record')}, ${formatBytes(agg.bytes)}${agg.oldest === null ? '' : `, oldest ${formatDuration(now - agg.oldest)} old`}`],
              ['MQTT', e.mqtt.state === 'connected' ? 'connected: records go out in order as the broker acknowledges them' : `${e.mqtt.state}: records stay on disk until the broker is back`],
              ['Since start', `${formatCount(s.enqueued, 'record')} queued, ${formatCount(s.acked, 'record')} acknowledged, ${formatCount(s.dropped, 'record')} dropped (outbox full)`],
            ], { paint: ctx.paint }),
            '',
            ...formatTable([{ title: 'CLASS' }, { title: 'WAITING', align: 'right' }, { title: 'DROPPED FIRST WHEN FULL?' }],
              OUTBOX_CLASSES.map((c, i) => [c, formatCount(byClass[c] ?? 0, 'record'), c === 'feedback' || c === 'charging' ? 'never' : i === 0 ? 'first' : `order ${i + 1}`]), { paint: ctx.paint }),
          ],
        };
      },
    }],
  },
};
