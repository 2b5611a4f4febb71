/**
 * Unsolicited result codes the modem may print at any time, even between the lines of a
 * response (docs/background.md §Modem and AT facts, URCs and boot): `RDY` (boot or reset), `POWERED DOWN`,
 * `+CPIN:`, `+QUSIM:`, `+QIND:`, `+CREG:`/`+CEREG:`/`+C5GREG:` (URC form, no `<n>`),
 * `+QNETDEVSTATUS:`, `+QIURC: "pdpdeact",<cid>` and the `+QPING:` results.
 *
 * `URC_PREFIXES` is what the channel registers; `parseUrc` turns a line into a typed value.
 */
import { parseCpin, type SimStatus } from './sim.js';
import { parseRegistration, type Registration } from './registration.js';
import { parseQping, type PingUrc } from './pdp.js';
import { afterPrefix, splitFields } from './params.js';
import { badReply } from './errors.js';

export type Urc =
  | { kind: 'ready' }
  | { kind: 'powered-down' }
  | { kind: 'sim'; status: SimStatus }
  | { kind: 'usim'; value: number }
  | { kind: 'indication'; name: string; values: string[] }
  | { kind: 'registration'; reg: Registration }
  | { kind: 'netdev'; connected: boolean; cid: number | null }
  | { kind: 'pdp-deactivated'; cid: number }
  | { kind: 'ip'; name: string; values: string[] }
  | { kind: 'ping'; ping: PingUrc };

export const URC_PREFIXES: readonly string[] = [
  'RDY', 'POWERED DOWN', '+CPIN:', '+QUSIM:', '+QIND:', '+CREG:', '+CEREG:', '+C5GREG:', '+QNETDEVSTATUS:', '+QIURC:', '+QPING:',
];

/** True when the line starts with a known URC prefix (`RDY` and `POWERED DOWN` must match whole). */
export function isUrcLine(line: string): boolean {
  if (line === 'RDY' || line === 'POWERED DOWN') return true;
  return URC_PREFIXES.some((p) => p.endsWith(':') && line.startsWith(p));
}

/** Parses a URC line; SP_AT_BAD_REPLY when it has a URC prefix but a malformed body. */
export function parseUrc(line: string): Urc {
  if (line === 'RDY') return { kind: 'ready' };
  if (line === 'POWERED DOWN') return { kind: 'powered-down' };
  if (line.startsWith('+CPIN:')) return { kind: 'sim', status: parseCpin(line) };
  if (line.startsWith('+QUSIM:')) {
    const v = Number(afterPrefix(line, '+QUSIM:'));
    if (!Number.isInteger(v)) badReply(line, '+QUSIM value');
    return { kind: 'usim', value: v };
  }
  if (line.startsWith('+CREG:') || line.startsWith('+CEREG:') || line.startsWith('+C5GREG:')) {
    return { kind: 'registration', reg: parseRegistration(line, 'urc') };
  }
  if (line.startsWith('+QIND:')) {
    const rest = afterPrefix(line, '+QIND:');
    // `+QIND: SMS DONE` is bare text; `+QIND: "csq",20,99` is a list.
    if (!rest.startsWith('"')) return { kind: 'indication', name: rest, values: [] };
    const f = splitFields(rest, line);
    return { kind: 'indication', name: f[0]!.value, values: f.slice(1).map((x) => x.value) };
  }
  if (line.startsWith('+QNETDEVSTATUS:')) {
    // One field: 0/1 disconnected/connected; more: <cid>,<state>,… (public captures; inferred).
    const f = splitFields(afterPrefix(line, '+QNETDEVSTATUS:'), line);
    const nums = f.map((x) => Number(x.value));
    if (f.length === 0 || !Number.isInteger(nums[0])) badReply(line, '+QNETDEVSTATUS value');
    if (f.length === 1) return { kind: 'netdev', connected: nums[0] !== 0, cid: null };
    return { kind: 'netdev', connected: nums[1] === 1, cid: nums[0]! };
  }
  if (line.startsWith('+QIURC:')) {
    const f = splitFields(afterPrefix(line, '+QIURC:'), line);
    const name = f[0]?.value ?? '';
    if (name === 'pdpdeact') {
      const cid = Number(f[1]?.value);
      if (!Number.isInteger(cid)) badReply(line, 'pdpdeact without a context id');
      return { kind: 'pdp-deactivated', cid };
    }
    return { kind: 'ip', name, values: f.slice(1).map((x) => x.value) };
  }
  if (line.startsWith('+QPING:')) return { kind: 'ping', ping: parseQping(line) };
  return badReply(line, 'not a known URC');
}
