import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import fc from 'fast-check';
import { AtChannel, type AtCommandOptions, type AtPort } from './at-channel.js';
import { registrationForm } from '../../protocols/at/registration.js';
import { parseFinal } from '../../protocols/at/final.js';
import { isUrcLine } from '../../protocols/at/urc.js';
import { testLogger } from '../../test/helpers/logger.js';

/**
 * A port whose "modem" answers from a script. Replies are delivered as microtasks queued inside
 * write(), i.e. before the channel starts the command's timer: a timeout happens only when the
 * script withholds the final result, never because the machine is loaded.
 */
class ScriptedPort extends EventEmitter implements AtPort {
  isOpen = true;
  readonly written: string[] = [];
  answer: (command: string) => Uint8Array[] = () => [];
  write(data: Uint8Array): Promise<void> {
    const cmd = Buffer.from(data).toString('latin1').replace(/\r$/, '');
    this.written.push(cmd);
    for (const c of this.answer(cmd)) queueMicrotask(() => this.emit('data', Buffer.from(c)));
    return Promise.resolve();
  }
  push(s: string): void { this.emit('data', Buffer.from(s)); }
}

interface Spec { cmd: string; opts: AtCommandOptions; lines: string[]; final: string }
const CATALOGUE: Spec[] = [
  { cmd: 'AT', opts: {}, lines: [], final: 'OK' },
  { cmd: 'AT+CSQ', opts: { prefix: '+CSQ:', expectLines: true }, lines: ['+CSQ: 20,99'], final: 'OK' },
  { cmd: 'ATI', opts: {}, lines: ['Quectel', 'RM500Q-GL', 'Revision: RM500QGLABR11A06M4G'], final: 'OK' },
  { cmd: 'AT+CPIN?', opts: { prefix: '+CPIN:', expectLines: true }, lines: ['+CPIN: READY'], final: 'OK' },
  { cmd: 'AT+CEREG?', opts: { isReply: (l) => l.startsWith('+CEREG:') && registrationForm(l) === 'read', expectLines: true }, lines: ['+CEREG: 2,1,"DE10","5A29C0B",7'], final: 'OK' },
  { cmd: 'AT+QENG="servingcell"', opts: { prefix: '+QENG:', expectLines: true }, lines: ['+QENG: "servingcell","NOCONN","NR5G-SA","TDD",460,01,19013B004,299,690E0F,633984,78,12,-107,-13,2,1,-'], final: 'OK' },
  { cmd: 'AT+COPS=9', opts: {}, lines: [], final: '+CME ERROR: 3' },
  { cmd: 'AT+BOGUS', opts: {}, lines: [], final: 'ERROR' },
];
const URCS = ['+CEREG: 1,"DE10","5A29C0B",7', '+QIND: "csq",20,99', '+C5GREG: 0', 'RDY', '+QIURC: "pdpdeact",1'];

function rig(settleMs = 2) {
  const port = new ScriptedPort();
  const ch = new AtChannel({ port, logger: testLogger(), timeoutFor: () => 30, settleMs, maxSettleMs: 20 });
  const urcs: string[] = [];
  for (const p of ['RDY', '+CEREG:', '+C5GREG:', '+QIND:', '+QIURC:', '+CPIN:']) ch.onUrc(p, (l) => urcs.push(l));
  return { port, ch, urcs };
}

type Outcome = { ok: true; lines: string[] } | { ok: false; code: string };
const expected = (s: Spec): Outcome => {
  const f = parseFinal(s.final)!;
  return f.kind === 'ok' ? { ok: true, lines: s.lines } : { ok: false, code: f.kind === 'cme' ? 'SP_AT_CME' : 'SP_AT_ERROR' };
};
const run = (ch: AtChannel, s: Spec): Promise<Outcome> =>
  ch.send(s.cmd, s.opts).then((r) => ({ ok: true as const, lines: r.lines }), (e: { code: string }) => ({ ok: false as const, code: e.code }));

/** Splits bytes at the given cut points. */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const pts = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let at = 0;
  for (const p of pts) { if (p > at) out.push(bytes.subarray(at, p)); at = p; }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

const step = fc.record({
  spec: fc.nat(CATALOGUE.length - 1),
  echo: fc.boolean(),
  // URC insertions: (position among the reply's lines, which URC)
  urcs: fc.array(fc.tuple(fc.nat(8), fc.nat(URCS.length - 1)), { maxLength: 3 }),
  cuts: fc.array(fc.nat(400), { maxLength: 6 }),
});

function replyBytes(s: Spec, echo: boolean, urcs: [number, number][]): { bytes: Uint8Array; urcLines: string[] } {
  const body = [...s.lines, s.final];
  const sorted = [...urcs].sort((a, b) => a[0] - b[0]);
  const out: string[] = [];
  const urcLines: string[] = [];
  let u = 0;
  for (let i = 0; i <= body.length; i++) {
    while (u < sorted.length && Math.min(sorted[u]![0], body.length) === i) { out.push(URCS[sorted[u]![1]]!); urcLines.push(URCS[sorted[u]![1]]!); u++; }
    if (i < body.length) out.push(body[i]!);
  }
  const text = (echo ? `${s.cmd}\r` : '') + out.map((l) => `\r\n${l}\r\n`).join('');
  return { bytes: new TextEncoder().encode(text), urcLines };
}

describe('AtChannel', () => {
  it('answers commands one at a time, in order', async () => {
    const { port, ch } = rig();
    port.answer = (c) => [Buffer.from(c === 'AT+CSQ' ? '\r\n+CSQ: 28,99\r\n\r\nOK\r\n' : '\r\nOK\r\n')];
    const [a, b, c] = await Promise.all([ch.send('ATE0'), ch.send('AT+CSQ', { prefix: '+CSQ:' }), ch.send('AT')]);
    expect(port.written).toEqual(['ATE0', 'AT+CSQ', 'AT']);
    expect([a.lines, b.lines, c.lines]).toEqual([[], ['+CSQ: 28,99'], []]);
    expect(ch.stats.ok).toBe(3);
  });

  it('removes the echo and takes a claimed URC-like line as the reply', async () => {
    const { port, ch, urcs } = rig();
    port.answer = () => [Buffer.from('AT+CPIN?\r\r\n+CPIN: READY\r\n\r\nOK\r\n')];
    expect((await ch.send('AT+CPIN?', { prefix: '+CPIN:' })).lines).toEqual(['+CPIN: READY']);
    expect(ch.stats.echoes).toBe(1);
    expect(urcs).toEqual([]);
  });

  it('turns +CME ERROR into a typed error and ERROR into SP_AT_ERROR', async () => {
    const { port, ch } = rig();
    port.answer = (c) => [Buffer.from(c === 'AT+CPIN?' ? '\r\n+CME ERROR: 10\r\n' : '\r\nERROR\r\n')];
    await expect(ch.send('AT+CPIN?', { prefix: '+CPIN:' })).rejects.toMatchObject({ code: 'SP_AT_CME', cme: 10 });
    await expect(ch.send('AT+X')).rejects.toMatchObject({ code: 'SP_AT_ERROR' });
  });

  it('times out, counts consecutive timeouts, and resets the count on any final result', async () => {
    const { port, ch } = rig();
    let silent = true;
    port.answer = () => (silent ? [] : [Buffer.from('\r\nOK\r\n')]);
    const seen: number[] = [];
    ch.on('timeout', (_c, n) => seen.push(n));
    await expect(ch.send('AT')).rejects.toMatchObject({ code: 'SP_MODEM_AT_TIMEOUT' });
    await expect(ch.send('AT')).rejects.toMatchObject({ code: 'SP_MODEM_AT_TIMEOUT', detail: { consecutive: 2 } });
    expect(seen).toEqual([1, 2]);
    silent = false;
    await ch.send('AT');
    expect(ch.stats.consecutiveTimeouts).toBe(0);
    expect(ch.stats.timeouts).toBe(2);
  });

  it('discards a late reply instead of giving it to the next command', async () => {
    const { port, ch } = rig(20);
    let n = 0;
    port.answer = (c) => {
      n++;
      if (n === 1) { setTimeout(() => port.push('\r\n+CSQ: 5,5\r\n\r\nOK\r\n'), 40); return []; } // after its 30 ms timeout
      return [Buffer.from(c === 'AT+CSQ' ? '\r\n+CSQ: 28,99\r\n\r\nOK\r\n' : '\r\nOK\r\n')];
    };
    await expect(ch.send('AT+CSQ', { prefix: '+CSQ:' })).rejects.toMatchObject({ code: 'SP_MODEM_AT_TIMEOUT' });
    // The next command waits for 20 ms of quiet; the late reply lands in that window and is dropped.
    await new Promise((r) => setTimeout(r, 5));
    expect((await ch.send('AT+CSQ', { prefix: '+CSQ:' })).lines).toEqual(['+CSQ: 28,99']);
    expect(ch.stats.strayLines).toBeGreaterThanOrEqual(2);
  });

  it('refuses work beyond its queue bound and when the port is closed; a close fails what is in flight', async () => {
    const port = new ScriptedPort();
    const ch = new AtChannel({ port, logger: testLogger(), timeoutFor: () => 1000, maxQueue: 2 });
    const inflight = ch.send('AT');
    const q = [ch.send('AT'), ch.send('AT')];
    await expect(ch.send('AT')).rejects.toMatchObject({ code: 'SP_MODEM_QUEUE_FULL' });
    port.isOpen = false;
    port.emit('close', 'EIO');
    await expect(inflight).rejects.toMatchObject({ code: 'SP_MODEM_PORT_CLOSED' });
    await Promise.all(q.map((p) => expect(p).rejects.toMatchObject({ code: 'SP_MODEM_PORT_CLOSED' })));
    await expect(ch.send('AT')).rejects.toMatchObject({ code: 'SP_MODEM_PORT_CLOSED' });
  });

  it('never shows a secret command in errors', async () => {
    const { port, ch } = rig();
    port.answer = () => [Buffer.from('\r\n+CME ERROR: 16\r\n')];
    const e = (await ch.send('AT+CPIN="1234"', { secret: true }).catch((x: Error) => x)) as Error;
    expect(e.message).not.toContain('1234');
    expect(JSON.stringify(e)).not.toContain('1234');
  });

  it('fast-check: random split points and URC interleavings never change a result or lose a URC', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
      const { port, ch, urcs } = rig();
      const sent: string[] = [];
      let i = 0;
      port.answer = () => {
        const st = steps[i++]!;
        const { bytes, urcLines } = replyBytes(CATALOGUE[st.spec]!, st.echo, st.urcs);
        sent.push(...urcLines);
        return cut(bytes, st.cuts);
      };
      for (const st of steps) expect(await run(ch, CATALOGUE[st.spec]!)).toEqual(expected(CATALOGUE[st.spec]!));
      expect(urcs).toEqual(sent);
      expect(ch.stats.strayLines).toBe(0);
      expect(ch.stats.timeouts).toBe(0);
    }), { numRuns: 200 });
  });

  // Garbage: random bytes whose line pieces are not themselves final results, URCs, echoes or
  // reply lines (no framing can tell a forged "OK" from a real one).
  const garbage = fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((g) => {
    const pieces = Buffer.from(g).toString('utf8').split(/[\r\n]+/).map((p) => p.trim());
    return pieces.every((p) => !parseFinal(p) && !isUrcLine(p) && !CATALOGUE.some((c) => c.cmd === p.toUpperCase() || c.lines.some((l) => p.startsWith(l.split(':')[0]!))));
  });

  it('fast-check: garbage at a random point spoils at most the command it hits', async () => {
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 2, maxLength: 8 }), fc.nat(), fc.nat(), garbage, async (steps, at, offset, g) => {
      const k = at % steps.length;
      const { port, ch } = rig();
      let i = 0;
      port.answer = () => {
        const idx = i++;
        const st = steps[idx]!;
        let { bytes } = replyBytes(CATALOGUE[st.spec]!, st.echo, st.urcs);
        if (idx === k) {
          const o = offset % (bytes.length + 1);
          bytes = Buffer.concat([bytes.subarray(0, o), g, bytes.subarray(o)]);
        }
        return cut(bytes, st.cuts);
      };
      const results: Outcome[] = [];
      for (const st of steps) results.push(await run(ch, CATALOGUE[st.spec]!));
      steps.forEach((st, idx) => { if (idx !== k) expect(results[idx], `command ${idx} (garbage in ${k})`).toEqual(expected(CATALOGUE[st.spec]!)); });
    }), { numRuns: 200 });
  });
});
