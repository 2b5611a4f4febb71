/**
 * The simulator's keys (docs/security.md §Key powers, §Trust list): the development key with every
 * power (what `smartpole ops` and the viewer's ops panel sign with by default), a small set of role
 * keys with limited powers so the default shows the model, and an offline-style root key that signs
 * trust lists (`smartpole ops trust … --root-key`). All live in `<data dir>/keys/`, mode 0600.
 */
import { join } from 'node:path';
import { ensureSigningKey, type SigningKey } from '../ops/keys.js';
import type { KeyPowersInput } from '../protocols/key-powers.js';

export interface RoleKey {
  role: string;
  file: string;
  key: SigningKey;
  powers: KeyPowersInput;
}

/** The roles: what a city would hand to each team. */
export const SIM_ROLES: { role: string; issuer: string; powers: KeyPowersInput }[] = [
  { role: 'notices', issuer: 'city-notices', powers: { kinds: ['notice', 'notice.withdraw', 'cap'], audiences: ['*'], maxPriority: 'emergency' } },
  { role: 'district-jiangan', issuer: 'jiangan-district', powers: { kinds: ['notice', 'notice.withdraw'], audiences: ['group:district/jiangan*', 'group:street/*', 'pole:WH-JA-*'], maxPriority: 'high' } },
  { role: 'payments', issuer: 'city-payments', powers: { kinds: ['cmd'], audiences: ['pole:*'], commands: ['charger.*'] } },
  {
    role: 'maintenance', issuer: 'city-maintenance', powers: {
      kinds: ['cmd'], audiences: ['pole:*'],
      commands: ['ping', 'state.rebirth', 'notice.list', 'screen.*', 'config.get', 'log.level', 'modem.*', 'lamp.*', 'pads.*', 'console.unlock'],
    },
  },
  { role: 'data', issuer: 'city-data', powers: { kinds: ['dataset', 'reply'], audiences: ['*'] } },
];

export interface SimKeys {
  dev: { file: string; key: SigningKey; created: boolean };
  roles: RoleKey[];
  root: { file: string; key: SigningKey };
}

export function ensureSimKeys(dataDir: string): SimKeys {
  const dir = join(dataDir, 'keys');
  const devFile = join(dir, 'dev-ops.key.json');
  const dev = ensureSigningKey(devFile, 'dev-ops');
  const roles = SIM_ROLES.map((r) => {
    const file = join(dir, `${r.role}.key.json`);
    return { role: r.role, file, key: ensureSigningKey(file, r.issuer, r.powers).key, powers: r.powers };
  });
  const rootFile = join(dir, 'root.key.json');
  return { dev: { file: devFile, key: dev.key, created: dev.created }, roles, root: { file: rootFile, key: ensureSigningKey(rootFile, 'root').key } };
}
