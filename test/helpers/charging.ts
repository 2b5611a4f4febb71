/** Helpers for charging tests: collect records and events from the broker, read the sim's ground truth. */
import mqtt, { type MqttClient } from 'mqtt';

/** A charging record flattened from its telemetry envelope: `record` is the kind without "charging.". */
export interface ChargingRecord {
  record: 'start' | 'meter' | 'stop';
  recordId: string;
  transactionId: string;
  connector: number;
  at: string;
  meterStartWh?: number;
  meterStopWh?: number;
  meterWh?: number;
  energyWh?: number;
  reason?: string;
  recovered?: boolean;
  source?: string;
  paymentRef?: string | null;
  cost?: number;
  fault?: string;
  [k: string]: unknown;
}

export interface PoleFeed {
  client: MqttClient;
  records: ChargingRecord[];
  events: Record<string, unknown>[];
  /** Records of one transaction, de-duplicated by recordId (QoS 1 may deliver twice). */
  tx(transactionId: string): ChargingRecord[];
  stops(): ChargingRecord[];
  close(): Promise<void>;
}

export async function poleFeed(mqttUrl: string, poleId = 'WH-JA-0001'): Promise<PoleFeed> {
  const client = await mqtt.connectAsync(mqttUrl, { clientId: `test-feed-${process.pid}-${Math.random().toString(16).slice(2)}` });
  const records: ChargingRecord[] = [];
  const events: Record<string, unknown>[] = [];
  client.on('message', (topic, payload) => {
    const p = JSON.parse(payload.toString()) as { type?: string; kind?: string; values?: Record<string, unknown>; at?: string } & Record<string, unknown>;
    // Charging records are telemetry kinds charging.start | charging.meter | charging.stop (docs/charging.md).
    if (topic.endsWith('/telemetry') && p.kind?.startsWith('charging.')) records.push({ ...p.values, record: p.kind.slice(9), at: p.at } as ChargingRecord);
    else if (topic.endsWith('/events')) events.push(p);
  });
  await client.subscribeAsync([`smartpole/v1/poles/${poleId}/telemetry`, `smartpole/v1/poles/${poleId}/events`], { qos: 1 });
  const dedupe = (rs: ChargingRecord[]) => [...new Map(rs.map((r) => [r.recordId, r])).values()];
  return {
    client, records, events,
    tx: (id) => dedupe(records.filter((r) => r.transactionId === id)).sort((a, b) => Number(a.recordId.split('#')[1]) - Number(b.recordId.split('#')[1])),
    stops: () => dedupe(records.filter((r) => r.record === 'stop')),
    close: () => client.endAsync(),
  };
}
