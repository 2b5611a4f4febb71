/**
 * The MQTT broker, step by step so a failure names its layer: TCP connect, TLS handshake (with the
 * pole's CA and client certificate), MQTT CONNACK. The doctor connects as `<clientId>-doctor` with
 * a clean session, so a running pole's session is not taken over.
 */
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import mqtt from 'mqtt';
import { fail, pass, type DoctorCheck, type DoctorContext, type Finding } from '../finding.js';
import { primaryUrl } from '../../uplink/broker-list.js';

function endpoint(url: string): { host: string; port: number; secure: boolean } {
  const u = new URL(url);
  const secure = /^(mqtts|wss|ssl):$/.test(u.protocol);
  const port = Number(u.port) || (u.protocol === 'wss:' ? 443 : u.protocol === 'ws:' ? 80 : secure ? 8883 : 1883);
  return { host: u.hostname, port, secure };
}

function open<T extends Socket>(make: () => T, event: string, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const s = make();
    const timer = setTimeout(() => { s.destroy(); reject(new Error(`no answer within ${timeoutMs} ms`)); }, timeoutMs);
    s.once(event, () => { clearTimeout(timer); resolve(s); });
    s.once('error', (e) => { clearTimeout(timer); s.destroy(); reject(e); });
  });
}

const files = (ctx: DoctorContext) => {
  const t = ctx.config!.mqtt.tls;
  const read = (p?: string) => (p ? readFileSync(p) : undefined);
  return { ca: read(t?.caFile), cert: read(t?.certFile), key: read(t?.keyFile), rejectUnauthorized: t?.rejectUnauthorized ?? true };
};

async function probe(ctx: DoctorContext): Promise<Finding> {
  const c = ctx.config!;
  // Over the 5G modem the runtime brings the data path up itself: an unreachable broker is expected before it starts.
  const sev = c.devices.modem?.enabled ? 'warn' : 'error';
  // With several brokers (mqtt.urls) the first of this pole's order is probed (docs/fleet.md).
  const url = primaryUrl(c.mqtt, c.pole.id);
  const { host, port, secure } = endpoint(url);
  try {
    (await open(() => tcpConnect({ host, port }), 'connect', ctx.timeoutMs)).destroy();
  } catch (e) {
    return fail('broker.tcp', sev, `cannot reach ${host}:${port}: ${(e as Error).message}`,
      sev === 'warn' ? 'expected if the network is the 5G modem the runtime brings up; otherwise check routing, DNS and the firewall'
        : 'check the network (ip route, DNS), the firewall (outbound TCP port) and mqtt.url');
  }
  let tlsFiles;
  try { tlsFiles = files(ctx); } catch (e) {
    return fail('broker.tls', 'error', `cannot read a TLS file: ${(e as Error).message}`, 'see the tls.* findings');
  }
  if (secure) {
    try {
      (await open(() => tlsConnect({ host, port, servername: /^[\d.:]+$/.test(host) ? undefined : host, ...tlsFiles }), 'secureConnect', ctx.timeoutMs)).destroy();
    } catch (e) {
      return fail('broker.tls', 'error', `TLS handshake with ${host}:${port} failed: ${(e as Error).message}`,
        'check mqtt.tls.caFile is the CA that signed the broker, the certificate is valid (tls.*), and the clock (host.clock)');
    }
  }
  try {
    const client = await mqtt.connectAsync(url, {
      clientId: `${c.mqtt.clientId ?? c.pole.id}-doctor`, clean: true, reconnectPeriod: 0, connectTimeout: ctx.timeoutMs,
      protocolVersion: c.mqtt.protocolVersion, username: c.mqtt.username, password: c.mqtt.password, ...tlsFiles,
    });
    await client.endAsync();
  } catch (e) {
    return fail('broker.mqtt', 'error', `the broker refused the MQTT connection: ${(e as Error).message}`,
      'the broker must accept this pole\'s certificate / credentials (ask city operations to register the pole id)');
  }
  return pass('broker', `${url}: TCP, ${secure ? 'TLS, ' : ''}CONNACK ok`);
}

export const BROKER_CHECKS: DoctorCheck[] = [
  { id: 'broker', needsConfig: true, run: async (ctx) => [await probe(ctx)] },
];
