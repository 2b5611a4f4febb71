/**
 * `smartpole provision --pole-id ID --cert FILE --key FILE --ca FILE --trust-key KID:ISSUER:KEY
 *   --pin-hash HASH [--broker URL] [--config FILE] [--template FILE] [--user NAME]`
 * (docs/deployment.md §Provision). Run as root; then `smartpole doctor`, then start the service.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { SmartpoleError } from '../../protocols/errors.js';
import { parseTrustKeyArg, provision } from './provision.js';

const DEFAULT_CONFIG = '/etc/smartpole/pole.yaml';
const USAGE = `usage: smartpole provision --pole-id ID --cert FILE --key FILE --ca FILE
         --trust-key KID:ISSUER:PUBKEY [--trust-key …] --pin-hash HASH
         [--broker mqtts://host:8883] [--config ${DEFAULT_CONFIG}] [--template FILE] [--user smartpole]
  Writes the pole's config and TLS files (key 0600, owned by the service user). The template is
  the current config file (default), e.g. the package's example. PUBKEY: base64 of the raw Ed25519
  key, or @file.pem. HASH: from smartpole console-hash.`;

export function provisionMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): number {
  let v;
  try {
    v = parseArgs({
      args: argv, strict: true,
      options: {
        'pole-id': { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' }, 'trust-key': { type: 'string', multiple: true },
        'pin-hash': { type: 'string' }, broker: { type: 'string' }, config: { type: 'string' }, template: { type: 'string' }, user: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    err(`smartpole provision: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (v.help) { out(USAGE); return 0; }
  const missing = (['pole-id', 'cert', 'key', 'ca', 'trust-key', 'pin-hash'] as const).filter((k) => !v[k]);
  if (missing.length) { err(`smartpole provision: missing --${missing.join(', --')}\n${USAGE}`); return 2; }
  const configFile = v.config ?? DEFAULT_CONFIG;
  const templateFile = v.template ?? configFile;
  if (!existsSync(templateFile)) { err(`smartpole provision: template ${templateFile} does not exist (pass --template)`); return 2; }
  try {
    const r = provision({
      poleId: v['pole-id']!, certFile: v.cert!, keyFile: v.key!, caFile: v.ca!, trustKeys: v['trust-key']!.map(parseTrustKeyArg), pinHash: v['pin-hash']!,
      brokerUrl: v.broker, template: readFileSync(templateFile, 'utf8'), configFile, user: v.user ?? 'smartpole',
    });
    for (const w of r.written) out(`wrote ${w.path} (${w.mode.toString(8).padStart(4, '0')})`);
    out(`pole ${r.config.pole.id} provisioned. Next: smartpole doctor --config ${configFile}; systemctl enable --now smartpole`);
    return 0;
  } catch (e) {
    err(`smartpole provision: ${e instanceof SmartpoleError ? `${e.code}: ` : ''}${(e as Error).message}`);
    return 1;
  }
}
