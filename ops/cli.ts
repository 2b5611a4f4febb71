/** `smartpole ops …`: the city-operations client (talks MQTT to any broker; docs/mqtt-api.md). */
import { parseArgs } from 'node:util';
import { OpsUsageError } from './context.js';
import { keygenCommand } from './commands/keygen.js';
import { noticeCommand } from './commands/notice.js';
import { capCommand } from './commands/cap.js';
import { cmdCommand } from './commands/cmd.js';
import { dataCommand, replyCommand } from './commands/data.js';
import { fleetCommand } from './commands/fleet.js';
import { feedbackCommand } from './commands/feedback.js';
import { trustCommand } from './commands/trust.js';
import { updateCommand } from './commands/update.js';

export const OPS_USAGE = `usage: smartpole ops <command>
  keygen [--issuer NAME] [--out FILE] [--kid ID]        make an Ed25519 signing key
  notice push --file FILE [--to TARGET]                 sign and publish a notice (TARGET: all | group:G | pole:ID)
  notice withdraw ID [--to TARGET] [--reason TEXT]      sign and publish a withdrawal
  cap push --file ALERT.xml [--to TARGET] [--rebase-time]
                                                        sign and publish a CAP 1.2 alert (--rebase-time: as if sent now)
  cmd POLE NAME [JSON | key=value …] [--timeout S] [--out FILE]
                                                        run a command on a pole and print its response
  data push --name NAME --file DATA.json [--to all|pole:ID] [--expires-in S]
                                                        sign and publish a data set (services, transit, weather…)
  feedback reply POLE TICKET --text TEXT [--text-en TEXT] [--status replied|resolved|rejected] [--department NAME [--department-en NAME]]
                                                        answer a citizen's message (shown on the pole's ticket page)
  feedback status POLE TICKET --status received|in-progress|closed [--department NAME]
                                                        move a citizen's message on: 受理 → 办理中 (docs/feedback.md)
  reply POLE TICKET --text TEXT [--text-en TEXT] [--status S]
                                                        answer a citizen's message (older form of feedback reply)
  fleet [--watch] [--json] [--wait S] [--stale-after N]
                                                        every pole's state from its retained birth and heartbeat
                                                        (stale: not heard for N × its heartbeat interval, default 3)
  trust show | init [--keys-dir DIR] | add-key --key-file F [--powers JSON] | revoke KID | publish --file F
        [--root-key FILE] [--expires-in S]              the fleet trust list, signed by the root key (docs/security.md)
  update publish PACKAGE.deb --to TARGET [--chunk-size B] [--min-running V] [--allow-downgrade]
        [--not-before ISO] [--not-after ISO]            sign and publish a software update (key with the update power)
common flags: --mqtt-url URL[,URL…] (tried in order)  --key FILE  --prefix P  --data-dir DIR  (default: the running sim's)
              --username U --password P  --ca FILE --cert FILE --client-key FILE  (mqtts://)
              --no-wait  (do not wait for the pole's receipt)
  serve [--mqtt-url …] [--db FILE] [--http-port N] [--init-admin NAME]
                                                        the operations console on the web (smartpole ops serve --help)`;

const OPTIONS = {
  'mqtt-url': { type: 'string' }, key: { type: 'string' }, prefix: { type: 'string' }, 'data-dir': { type: 'string' },
  username: { type: 'string' }, password: { type: 'string' }, ca: { type: 'string' }, cert: { type: 'string' }, 'client-key': { type: 'string' },
  file: { type: 'string' }, to: { type: 'string' }, 'no-wait': { type: 'boolean' }, reason: { type: 'string' },
  issuer: { type: 'string' }, out: { type: 'string' }, kid: { type: 'string' }, help: { type: 'boolean', short: 'h' },
  'rebase-time': { type: 'boolean' }, timeout: { type: 'string' }, name: { type: 'string' }, 'expires-in': { type: 'string' },
  status: { type: 'string' }, text: { type: 'string' }, 'text-en': { type: 'string' }, watch: { type: 'boolean' }, json: { type: 'boolean' },
  'chunk-size': { type: 'string' }, 'min-running': { type: 'string' }, 'allow-downgrade': { type: 'boolean' },
  'not-before': { type: 'string' }, 'not-after': { type: 'string' }, 'https-url': { type: 'string' },
  wait: { type: 'string' }, 'stale-after': { type: 'string' }, 'root-key': { type: 'string' }, 'keys-dir': { type: 'string' }, 'key-file': { type: 'string' }, powers: { type: 'string' },
  department: { type: 'string' }, 'department-en': { type: 'string' },
} as const;

export async function opsMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  if (argv[0] === 'serve') return (await import('./serve/cli.js')).serveMain(argv.slice(1), out, err);
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
      case 'cap': return await capCommand(sub, f, out);
      case 'cmd': return await cmdCommand(sub, rest[0], rest.slice(1), f, out, err);
      case 'data': return await dataCommand(sub, f, out);
      case 'reply': return await replyCommand(sub, rest[0], f, out);
      case 'feedback': return await feedbackCommand(sub, rest, f, out);
      case 'fleet': return await fleetCommand(f, out);
      case 'trust': return await trustCommand(sub, rest, f, out);
      case 'update': return await updateCommand(sub, rest, f, out);
      default: throw new OpsUsageError(`unknown ops command "${cmd}"\n${OPS_USAGE}`);
    }
  } catch (e) {
    if (e instanceof OpsUsageError) { err(`smartpole ops: ${e.message}`); return 2; }
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SP_')) {
      err(`smartpole ops: ${code}: ${(e as Error).message}`);
      return code === 'SP_OPS_TOPIC_LEVEL' ? 2 : 1;
    }
    err(`smartpole ops: ${(e as Error).message}`);
    return 1;
  }
}
