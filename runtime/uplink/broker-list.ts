/**
 * The brokers a pole (or the ops client) may use, in the order it tries them (docs/fleet.md
 * §Several brokers). `mqtt.url` is a list of one; `mqtt.urls` a list whose entries may carry their
 * own TLS files (a node behind another CA). `shuffled` gives each pole an order of its own, seeded
 * by its id, so a fleet spreads over the nodes and, when one dies, its poles spread over the others
 * instead of all moving to the next node in the list.
 */
import type { Config } from '../config/schema.js';
import { seededRandom } from '../../lib/seeded-random.js';

export type MqttTls = NonNullable<Config['mqtt']['tls']>;

export interface Broker {
  url: string;
  /** TLS files for an mqtts:// or wss:// URL: the entry's own, else the section's. */
  tls?: MqttTls;
}

/** A comma-separated list of URLs (the command line's `--mqtt-url a,b,c`). */
export function splitUrls(list: string): string[] {
  return list.split(',').map((u) => u.trim()).filter((u) => u.length > 0);
}

/** FNV-1a of the id: a stable seed (the same pole gets the same order after a restart). */
function seedOf(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Fisher–Yates, seeded: the same id always gives the same order. */
export function shuffleFor<T>(items: readonly T[], id: string): T[] {
  const out = [...items];
  const r = seededRandom(seedOf(id));
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function brokerList(m: Pick<Config['mqtt'], 'url' | 'urls' | 'urlOrder' | 'tls'>, poleId: string): Broker[] {
  const entries = m.urls ?? (m.url ? [m.url] : []);
  const list = entries.map((e): Broker => (typeof e === 'string' ? { url: e, tls: m.tls } : { url: e.url, tls: e.tls ?? m.tls }));
  return m.urlOrder === 'shuffled' ? shuffleFor(list, poleId) : list;
}

/** The first broker's URL (probes, messages that name "the" broker). */
export function primaryUrl(m: Pick<Config['mqtt'], 'url' | 'urls' | 'urlOrder' | 'tls'>, poleId: string): string {
  return brokerList(m, poleId)[0]?.url ?? '';
}
