/** `mqtt status` (docs/console.md §Commands): the uplink to city operations, from the MQTT session. */
import { statusStyle } from '../../../protocols/console/ansi.js';
import { formatFields } from '../../../protocols/console/table.js';
import { formatCount, formatDuration, formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import { redactUrl } from '../../config/secrets.js';
import type { ConsoleModule } from './module.js';

export const mqttModule: ConsoleModule = {
  command: {
    name: 'mqtt', level: 'tech', summary: 'MQTT uplink to city operations', defaultSub: 'status',
    subcommands: [{
      name: 'status', level: 'tech', summary: 'broker, connection state and history, counters, outbox',
      run(ctx) {
        const e = ctx.env;
        const m = e.mqttSettings();
        const s = e.mqtt.stats;
        const now = e.now();
        const connected = e.mqtt.state === 'connected';
        const depth = e.outbox.depth();
        const result = {
          state: e.mqtt.state, url: redactUrl(e.mqttUrl), clientId: m.clientId ?? e.poleId, protocolVersion: m.protocolVersion, keepaliveSec: m.keepaliveSec,
          tls: e.mqttUrl.startsWith('mqtts') || e.mqttUrl.startsWith('wss'), username: m.username ?? null, topicPrefix: m.topicPrefix,
          connectedSince: connected ? isoInZone(s.connectedSince, e.timeZone) : null, connects: s.connects, disconnects: s.disconnects,
          published: s.published, received: s.received, lastError: s.lastError, bdSeq: e.mqtt.bdSeq, outboxDepth: depth,
        };
        return {
          result,
          text: formatFields([
            ['State', e.mqtt.state, statusStyle(connected ? 'ok' : 'down')],
            ['Broker', `${result.url}${result.tls ? ' (TLS)' : ''}, MQTT ${m.protocolVersion === 5 ? '5' : '3.1.1'}, keep-alive ${m.keepaliveSec} s`],
            ['Client id', `${result.clientId}${m.username ? `, user ${m.username}` : ''}`],
            ['Connected', connected ? `since ${formatLocalTime(s.connectedSince, e.timeZone)} (${formatDuration(now - s.connectedSince)})` : 'no'],
            ['History', `${formatCount(s.connects, 'connect')}, ${formatCount(s.disconnects, 'disconnect')}; birth bdSeq ${e.mqtt.bdSeq}`],
            ['Messages', `${formatCount(s.published, 'message')} published, ${formatCount(s.received, 'message')} received`],
            ['Last error', s.lastError ?? 'none'],
            ['Outbox', `${formatCount(depth, 'record')} waiting${depth && !connected ? ' (sent in order when the broker is back)' : ''}`],
          ], { paint: ctx.paint }),
        };
      },
    }],
  },
};
