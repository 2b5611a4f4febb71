/** `smartpole ops …`: the city-operations client (talks MQTT to any broker). */
import { parseArgs } from 'node:util';
import { OpsUsageError } from './context.js';
import { keygenCommand } from './commands/keygen.js';
import { noticeCommand } from './commands/notice.js';

export const OPS_USAGE = `usage: smartpole ops <command>
  keygen [--issuer NAME] [--out FILE]        make an Ed25519 signing key
  notice push --file FILE [--to TARGET]      sign and publish a notice (TARGET: all | group:G | pole:ID)
  notice withdraw ID [--to TARGET]           sign and publish a withdrawal
common flags: --mqtt-url URL  --key FILE  --prefix P  --data-dir DIR  (default: the running sim's)`;

const OPTIONS = {
  'mqtt-url': { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' }, 'data-dir': { type: 'string' },
  username: { type: 'string' }, password: { type: 'string' }, ca: { type: 'string' }, cert: { type: 'string' }, 'client-key': { type: 'string' },
  file: { type: 'string' }, to: { type: 'string' }, 'no-wait': { type: 'boolean' }, reason: { type: 'string' },
  issuer: { type: 'string' }, out: { type: 'string' }, kid: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

export async function opsMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    err(`smartpole ops: ${(e as Error).message}\n${OPS_USAGE}`);
    return 2;
  }
  const [cmd, sub, ...rest] = parsed.positionals;
  const f = parsed.values;
  if (!cmd || f.help) { out(OPS_USAGE); return cmd ? 0 : 2; }
  try {
    switch (cmd) {
      case 'keygen': return keygenCommand(f, out);
      case 'notice': return await noticeCommand(sub, rest, f, out);
      default: throw new OpsUsageError(`unknown ops command "${cmd}"\n${OPS_USAGE}`);
    }
  } catch (e) {
    if (e instanceof OpsUsageError) { err(`smartpole ops: ${e.message}`); return 2; }
    err(`smartpole ops: ${(e as Error).message}`);
    return 1;
  }
}
