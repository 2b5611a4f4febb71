/**
 * Packet data: `AT+CGDCONT?` (27.007 §10.1.1), Quectel `AT+QIACT?` and the `AT+QPING` URCs
 * (Quectel TCP/IP AT manual; docs/background.md §Modem and AT facts):
 *   `+CGDCONT: 1,"IP","internet","0.0.0.0",0,0,0,0`
 *   `+QIACT: 1,1,1,"10.64.1.23"`, or a bare OK when no context is up
 *   `+QPING: 0,"1.2.3.4",32,54,255` (one reply), `+QPING: 0,4,4,0,47,51,49` (summary), `+QPING: 569` (failed)
 */
import { badReply } from './errors.js';
import { afterPrefix, intField, requireInt, splitFields, textField } from './params.js';

export interface PdpContextDef {
  cid: number;
  pdpType: string;
  apn: string;
  address: string | null;
}

export function parseCgdcont(lines: readonly string[]): PdpContextDef[] {
  return lines.filter((l) => l.startsWith('+CGDCONT:')).map((line) => {
    const f = splitFields(afterPrefix(line, '+CGDCONT:'), line);
    if (f.length < 3) badReply(line, '+CGDCONT needs cid, type, APN');
    const cid = requireInt(f[0], line, 'cid');
    return { cid, pdpType: textField(f[1]) ?? '', apn: f[2]!.value, address: textField(f[3]) };
  });
}

export interface ActiveContext {
  cid: number;
  /** 1 = activated. */
  state: number;
  /** 1 IPv4, 2 IPv6, 3 IPv4v6. */
  type: number;
  addresses: string[];
}

export function parseQiact(lines: readonly string[]): ActiveContext[] {
  return lines.filter((l) => l.startsWith('+QIACT:')).map((line) => {
    const f = splitFields(afterPrefix(line, '+QIACT:'), line);
    if (f.length < 3) badReply(line, '+QIACT needs cid, state, type');
    const cid = requireInt(f[0], line, 'contextID');
    const state = requireInt(f[1], line, 'context_state');
    const type = requireInt(f[2], line, 'context_type');
    if (cid < 1 || cid > 16) badReply(line, 'contextID out of range');
    const addresses = f.slice(3).map((x) => x.value).filter((a) => a !== '' && a !== '0.0.0.0');
    for (const a of addresses) if (!/^[0-9a-fA-F.:]{2,45}$/.test(a)) badReply(line, 'address is not an IP address');
    return { cid, state, type, addresses };
  });
}

export type PingUrc =
  | { kind: 'reply'; ip: string; bytes: number; timeMs: number; ttl: number }
  | { kind: 'summary'; sent: number; received: number; lost: number; minMs: number; maxMs: number; avgMs: number }
  | { kind: 'failed'; error: number };

export function parseQping(line: string): PingUrc {
  const f = splitFields(afterPrefix(line, '+QPING:'), line);
  const result = requireInt(f[0], line, 'result');
  if (f.length === 1) return { kind: 'failed', error: result };
  if (result !== 0) return { kind: 'failed', error: result };
  if (f[1]!.quoted) {
    return { kind: 'reply', ip: f[1]!.value, bytes: requireInt(f[2], line, 'bytes'), timeMs: requireInt(f[3], line, 'time'), ttl: requireInt(f[4], line, 'ttl') };
  }
  const n = (i: number, name: string) => intField(f[i], line, name, true) ?? 0;
  return { kind: 'summary', sent: requireInt(f[1], line, 'sent'), received: requireInt(f[2], line, 'rcvd'), lost: requireInt(f[3], line, 'lost'), minMs: n(4, 'min'), maxMs: n(5, 'max'), avgMs: n(6, 'avg') };
}
