import { describe, expect, it } from 'vitest';
import { brokerList, shuffleFor, splitUrls } from './broker-list.js';
import { parseConfig } from '../config/load.js';

const base = { urlOrder: 'ordered' as const, tls: undefined };
const urls = ['mqtt://n1:1883', 'mqtt://n2:1883', 'mqtt://n3:1883'];

describe('broker list', () => {
  it('is the one url, or the urls in order, each with the TLS files that apply', () => {
    expect(brokerList({ ...base, url: 'mqtt://a:1', urls: undefined }, 'P')).toEqual([{ url: 'mqtt://a:1', tls: undefined }]);
    const tls = { caFile: '/ca', rejectUnauthorized: true };
    const own = { caFile: '/other-ca', rejectUnauthorized: true };
    expect(brokerList({ ...base, tls, url: undefined, urls: ['mqtts://a:1', { url: 'mqtts://b:1', tls: own }] }, 'P'))
      .toEqual([{ url: 'mqtts://a:1', tls }, { url: 'mqtts://b:1', tls: own }]);
  });

  it('shuffled: the same order for the same pole every time, and a fleet spread evenly over the first node', () => {
    const m = { ...base, urlOrder: 'shuffled' as const, url: undefined, urls };
    expect(brokerList(m, 'WH-JA-0001')).toEqual(brokerList(m, 'WH-JA-0001'));
    const first = new Map<string, number>();
    const second = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const l = brokerList(m, `WH-FL-${String(i).padStart(4, '0')}`);
      expect(new Set(l.map((b) => b.url)).size).toBe(3);
      first.set(l[0]!.url, (first.get(l[0]!.url) ?? 0) + 1);
      if (l[0]!.url === urls[0]) second.set(l[1]!.url, (second.get(l[1]!.url) ?? 0) + 1);
    }
    for (const u of urls) expect(first.get(u)).toBeGreaterThan(900);
    // The poles of a node that dies go to both others, not all to one.
    for (const u of urls.slice(1)) expect(second.get(u)).toBeGreaterThan(400);
    expect(shuffleFor([1], 'x')).toEqual([1]);
  });

  it('splits the command line form and the config takes either key, but one of them', () => {
    expect(splitUrls(' mqtt://a:1, mqtt://b:2 ,')).toEqual(['mqtt://a:1', 'mqtt://b:2']);
    const cfg = (mqtt: Record<string, unknown>) => parseConfig({
      pole: { id: 'WH-JA-0001', location: { lat: 30, lon: 114 } }, mqtt, trust: { keys: [{ kid: 'k', issuer: 'i', publicKey: 'A'.repeat(44) }] },
    }, '/tmp');
    expect(cfg({ urls, urlOrder: 'shuffled', heartbeatSec: 5 }).mqtt.urls).toEqual(urls);
    expect(() => cfg({})).toThrow(/mqtt.url or mqtt.urls/);
    expect(() => cfg({ url: 'mqtt://a:1,mqtt://b:1' })).toThrow();
    expect(() => cfg({ url: 'mqtt://a:1', topicPrefix: 'city.wuhan/v1' })).toThrow(/topicPrefix/);
  });
});
