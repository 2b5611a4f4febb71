/**
 * `smartpole console-hash [--config FILE]`: makes the `devices.console.pinHash` for a technician
 * PIN (docs/console.md §Logging in). The PIN is read without echo from the terminal (twice), or as one
 * line from a pipe — never from the command line, where it would land in the shell history. With
 * --config the hash is written into that config file (comments kept); otherwise it is printed.
 */
import { parseArgs } from 'node:util';
import { pinPolicyProblem } from '../../protocols/console/pin-hash.js';
import { ConfigEditor } from './config-editor.js';
import { hashPin } from './pin.js';

const USAGE = `usage: smartpole console-hash [--config FILE]
  Reads a technician PIN (4–12 digits) without echo, twice, and prints its scrypt hash for
  devices.console.pinHash — or writes it into FILE with --config. From a pipe: one line on stdin.`;

/** Reads one line from a TTY with echo off (Ctrl-C aborts). */
function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    let s = '';
    stdin.setRawMode(true);
    stdin.resume();
    const onData = (b: Buffer) => {
      for (const c of b.toString('utf8')) {
        if (c === '\r' || c === '\n') { done(); resolve(s); return; }
        if (c === '\x03') { done(); reject(new Error('cancelled')); return; }
        if (c === '\x7f' || c === '\b') s = s.slice(0, -1);
        else if (c >= ' ') s += c;
      }
    };
    const done = () => { stdin.off('data', onData); stdin.setRawMode(false); stdin.pause(); process.stderr.write('\n'); };
    stdin.on('data', onData);
  });
}

async function readPiped(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.split(/\r?\n/)[0] ?? '';
}

export async function consoleHashMain(argv: string[], out: (s: string) => void = console.log, err: (s: string) => void = console.error): Promise<number> {
  let values;
  try {
    values = parseArgs({ args: argv, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
  } catch (e) {
    err(`smartpole console-hash: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) { out(USAGE); return 0; }
  let pin: string;
  try {
    if (process.stdin.isTTY) {
      pin = await readHidden('New technician PIN: ');
      const again = await readHidden('Same PIN again: ');
      if (again !== pin) { err('smartpole console-hash: the two PINs differ; nothing changed'); return 1; }
    } else {
      pin = await readPiped();
    }
  } catch (e) {
    err(`smartpole console-hash: ${(e as Error).message}`);
    return 1;
  }
  const problem = pinPolicyProblem(pin);
  if (problem) { err(`smartpole console-hash: ${problem}`); return 1; }
  const hash = await hashPin(pin);
  if (values.config) {
    try {
      new ConfigEditor(values.config).set('devices.console.pinHash', hash);
    } catch (e) {
      err(`smartpole console-hash: ${(e as Error).message}`);
      return 1;
    }
    out(`devices.console.pinHash written to ${values.config}; it takes effect when the runtime next starts (reboot on the console).`);
    return 0;
  }
  out(hash);
  return 0;
}
