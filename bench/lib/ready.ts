/**
 * Readiness before measuring: a bench starts its clock only when what it measures is up — the LED
 * board has answered HELLO and the pole's MQTT session has published its birth (so its
 * subscriptions are in place: the broker handles a connection's packets in order). A non-retained
 * message sent before that is simply never delivered (clean session), which is how a bench can wait
 * forever for a frame (docs/performance.md §How the benches run).
 */
import type { Pole } from '../../runtime/pole.js';

function once(e: { once(ev: string, f: () => void): unknown; off(ev: string, f: () => void): unknown }, ev: string, timeoutMs: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const f = () => { clearTimeout(t); resolve(); };
    const t = setTimeout(() => { e.off(ev, f); reject(new Error(`bench: ${what} not ready in ${timeoutMs / 1000} s`)); }, timeoutMs);
    e.once(ev, f);
  });
}

/** The LED link is `ready` (HELLO/CAPS done). */
export async function ledReady(pole: Pole, timeoutMs = 30_000): Promise<void> {
  const link = pole.services.led.board?.link;
  if (!link) throw new Error('bench: this pole has no LED board');
  if (link.state !== 'ready') await once(link as never, 'ready', timeoutMs, 'the LED board (HELLO)');
}

/** The MQTT session is connected and its birth is on the broker (subscriptions active). */
export async function uplinkReady(pole: Pole, timeoutMs = 60_000): Promise<void> {
  const mqtt = pole.services.uplink.mqtt;
  if (mqtt.connected && mqtt.stats.births > 0) return;
  await once(mqtt as never, 'birth', timeoutMs, "the pole's MQTT birth");
}

/** Both: the pole can take a push and show it. */
export async function poleReady(pole: Pole, timeoutMs?: number): Promise<void> {
  await ledReady(pole, timeoutMs);
  await uplinkReady(pole, timeoutMs);
}
