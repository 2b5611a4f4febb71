/**
 * Shared resolution of "which broker, which key, which prefix" for ops commands: explicit flags
 * win; otherwise the running sim's (ops/sim-discovery.ts).
 */
import { findRunningSim, type SimInfo } from './sim-discovery.js';
import { loadSigningKey, type SigningKey } from './keys.js';
import type { OpsConnection } from './mqtt-client.js';
import { DEFAULT_PREFIX } from '../protocols/topics.js';

export interface OpsFlags {
  'mqtt-url'?: string;
  key?: string;
  prefix?: string;
  'data-dir'?: string;
  username?: string;
  password?: string;
  ca?: string;
  cert?: string;
  'client-key'?: string;
}

export interface OpsContext {
  sim: SimInfo | null;
  connection: OpsConnection;
  prefix: string;
  key(): SigningKey;
}

export class OpsUsageError extends Error {}

export function resolveContext(f: OpsFlags): OpsContext {
  const sim = findRunningSim(f['data-dir']);
  const url = f['mqtt-url'] ?? sim?.mqttUrl;
  if (!url) throw new OpsUsageError('no broker: pass --mqtt-url mqtt://host:port, or start `smartpole sim` first');
  return {
    sim,
    prefix: f.prefix ?? sim?.topicPrefix ?? DEFAULT_PREFIX,
    connection: { url, username: f.username, password: f.password, caFile: f.ca, certFile: f.cert, keyFile: f['client-key'] },
    key: () => {
      const file = f.key ?? sim?.keyFile;
      if (!file) throw new OpsUsageError('no signing key: pass --key FILE (make one with `smartpole ops keygen`), or start `smartpole sim` first');
      return loadSigningKey(file);
    },
  };
}
