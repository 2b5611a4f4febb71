/**
 * The embedded MQTT broker as a simulated device, so its outage is a fault like any other
 * (docs/simulator.md: the broker fault stops and starts the embedded broker): `stop` drops every client and
 * refuses connections on the same port, `start` listens again.
 */
import type { EmbeddedBroker } from '../broker.js';
import type { SimDevice } from './sim-device.js';

export function brokerDevice(broker: EmbeddedBroker): SimDevice {
  let outages = 0;
  let since = Date.now();
  return {
    name: 'broker',
    kind: 'embedded MQTT broker (aedes, MQTT 3.1.1)',
    pair: null,
    state: () => ({ running: broker.running, url: broker.url, port: broker.port, outages, since: new Date(since).toISOString() }),
    faults: {
      stop: {
        describe: 'broker outage: drop every client and refuse connections until start',
        run: async () => { if (!broker.running) return; await broker.pause(); outages++; since = Date.now(); },
      },
      start: {
        describe: 'end the outage: listen again on the same port',
        run: async () => { if (broker.running) return; await broker.resume(); since = Date.now(); },
      },
    },
  };
}
