/**
 * SendWindow through its owner LedLink, on a FakeBytePort with a scripted board and fake timers
 * (docs/protocols/led-link.md §6): the window bound, selective repeat (cumulative ACK + SACK,
 * fast retransmit of an overtaken frame), tail-loss probes, NAK handling, the retransmit budget
 * with its backoff, and resynchronisation.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MsgType, NakReason } from '../../protocols/led-link/messages.js';
import { FakeBytePort } from '../../test/helpers/byte-port.js';
import { ScriptedLedBoard } from '../../test/helpers/led-script.js';
import { testLogger } from '../../test/helpers/logger.js';
import { LedLink, LedLinkState, type LedLinkOptions } from './led-link.js';

type Outcome = { state: 'pending' } | { state: 'ok' } | { state: 'failed'; code: string };

/** Records how a promise settled without awaiting it (the test drives time). */
function track(p: Promise<void>): { readonly outcome: Outcome } {
  const t: { outcome: Outcome } = { outcome: { state: 'pending' } };
  p.then(() => { t.outcome = { state: 'ok' }; }, (e: { code: string }) => { t.outcome = { state: 'failed', code: e.code }; });
  return t;
}

const payload = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
const links: LedLink[] = [];

async function rig(o: Partial<LedLinkOptions> = {}, caps = {}) {
  const port = new FakeBytePort('/fake/led');
  const board = new ScriptedLedBoard(port, caps);
  const link = new LedLink({ serial: port.asSerial(), logger: testLogger(), fec: 0, statusIntervalMs: 0, ...o });
  links.push(link);
  await advance(5);
  expect(link.state).toBe(LedLinkState.Ready);
  const send = (n = 16) => track(link.send(MsgType.BRIGHTNESS, payload(n)));
  return { port, board, link, send };
}

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => {
  for (const l of links.splice(0)) l.close();
  vi.useRealTimers();
});

describe('SendWindow', () => {
  it('keeps at most the board receive window in flight and refills it as the cumulative ACK advances', async () => {
    const { board, link, send } = await rig({}, { rxWindow: 4 });
    const jobs = [0, 1, 2, 3, 4, 5].map(() => send());
    await advance(0);
    const first = board.seqs();
    expect(first).toHaveLength(4);
    expect(link.inFlightCount).toBe(4);
    // The board took the first two.
    board.ack({ cumSeq: first[2]! });
    await advance(0);
    expect(jobs.map((j) => j.outcome.state)).toEqual(['ok', 'ok', 'pending', 'pending', 'pending', 'pending']);
    const all = board.seqs();
    expect(all).toHaveLength(6);
    expect(all.slice(4)).toEqual([first[3]! + 1, first[3]! + 2]);
    board.ack({ cumSeq: all[5]! + 1 });
    await advance(0);
    expect(jobs.every((j) => j.outcome.state === 'ok')).toBe(true);
    expect(link.inFlightCount).toBe(0);
    expect(link.stats.retransmits).toBe(0);
  });

  it('resends only the frame a later one overtook (SACK), at once, and resolves everything on the next ACK', async () => {
    const { board, link, send } = await rig();
    const [a, b, c] = [send(), send(), send()];
    await advance(0);
    const [sa, sb, sc] = board.seqs() as [number, number, number];
    expect([sb, sc]).toEqual([sa + 1, sa + 2]);
    // b and c arrived and wait behind the gap at a.
    board.ack({ cumSeq: sa, sack: 0b110 });
    await advance(0);
    expect(board.seqs()).toEqual([sa, sb, sc, sa]);
    expect(link.stats.fastRetransmits).toBe(1);
    expect([a, b, c].map((j) => j.outcome.state)).toEqual(['pending', 'pending', 'pending']);
    board.ack({ cumSeq: sc + 1 });
    await advance(0);
    expect([a, b, c].map((j) => j.outcome.state)).toEqual(['ok', 'ok', 'ok']);
    expect(link.stats).toMatchObject({ retransmits: 1, timeouts: 0 });
    // Nothing left to time out: no more copies, however long we wait.
    await advance(2000);
    expect(board.seqs()).toEqual([sa, sb, sc, sa]);
  });

  it('probes a silent tail with STATUS_REQ long before the deadline, and the probe\'s SACK resends the lost frame', async () => {
    const { board, link, send } = await rig();
    const a = send();
    await advance(0);
    const [sa] = board.seqs() as [number];
    // Nothing comes back: the probe goes out after the predicted answer plus a little (≤ 30 ms).
    await advance(40);
    expect(board.seqs(MsgType.STATUS_REQ)).toEqual([sa + 1]);
    expect(link.stats.probes).toBe(1);
    expect(link.stats.retransmits).toBe(0);
    // The probe arrived, the frame did not: the gap resends it without waiting for the deadline.
    board.ack({ cumSeq: sa, sack: 0b10 });
    await advance(0);
    expect(board.seqs()).toEqual([sa, sa + 1, sa]);
    board.ack({ cumSeq: sa + 2 });
    await advance(0);
    expect(a.outcome.state).toBe('ok');
    expect(link.stats).toMatchObject({ fastRetransmits: 1, timeouts: 0 });
  });

  it('probes before resending a big frame on its deadline: a merely slow board costs no copy', async () => {
    const { board, link, send } = await rig({ ackMarginMs: 100 });
    const a = send(3000);
    await advance(0);
    const [sa] = board.seqs() as [number];
    await advance(150); // past the deadline (wire 3 ms + decode 5 ms + margin 100 ms)
    expect(board.seqs(MsgType.BRIGHTNESS)).toEqual([sa]);
    expect(board.seqs(MsgType.STATUS_REQ).length).toBeGreaterThanOrEqual(2); // the tail probe and the deadline's probe
    expect(link.stats.retransmits).toBe(0);
    board.ack({ cumSeq: board.seqs().at(-1)! + 1 });
    await advance(0);
    expect(a.outcome.state).toBe('ok');
    expect(link.stats).toMatchObject({ retransmits: 0, timeouts: 0 });
  });

  it('resends on timeout with a growing deadline, and after maxAttempts fails the frame and starts a new session', async () => {
    const { board, link, send } = await rig({ maxAttempts: 3, ackMarginMs: 100 });
    const resets: string[] = [];
    link.on('reset', (r) => resets.push(r));
    const hellosBefore = board.frames.filter((f) => f.type === MsgType.HELLO).length;
    const a = send();
    await advance(0);
    const [sa] = board.seqs() as [number];
    await advance(2000);
    expect(a.outcome).toEqual({ state: 'failed', code: 'SP_LED_TIMEOUT' });
    expect(board.seqs(MsgType.BRIGHTNESS)).toEqual([sa, sa, sa]);
    expect(link.stats.timeouts).toBe(3);
    expect(link.stats.retransmits).toBe(2);
    expect(link.stats.resyncs).toBe(1);
    expect(resets).toEqual([`frame ${sa} failed 3 times (timeout)`]);
    // The board answered the new HELLO: a fresh session, nothing in flight.
    expect(board.frames.filter((f) => f.type === MsgType.HELLO).length).toBe(hellosBefore + 1);
    expect(link.state).toBe(LedLinkState.Ready);
    expect(link.inFlightCount).toBe(0);
  });

  it('backs the retransmission deadline off by 1.5× per attempt', async () => {
    const { board, send } = await rig({ maxAttempts: 4, ackMarginMs: 100 });
    send();
    await advance(0);
    const [sa] = board.seqs() as [number];
    await advance(3000);
    const times = board.frames.flatMap((f, k) => (f.type === MsgType.BRIGHTNESS && f.seq === sa ? [board.arrivedAt[k]!] : []));
    expect(times).toHaveLength(4);
    const gaps = times.slice(1).map((t, k) => t - times[k]!);
    expect(gaps[1]! / gaps[0]!).toBeGreaterThan(1.3);
    expect(gaps[2]! / gaps[1]!).toBeGreaterThan(1.3);
  });

  it('resends at once on a retryable NAK, fails a refused frame without resending it, and resyncs on NO_SESSION', async () => {
    const { board, link, send } = await rig();
    const [a, b] = [send(), send()];
    await advance(0);
    const [sa, sb] = board.seqs() as [number, number];
    board.nak({ seq: sa, reason: NakReason.CRC, cumSeq: sa });
    await advance(0);
    expect(board.seqs()).toEqual([sa, sb, sa]);
    expect(link.stats.naks).toEqual({ CRC: 1 });
    board.nak({ seq: sb, reason: NakReason.BAD_PAYLOAD, cumSeq: sb });
    await advance(0);
    expect(b.outcome).toEqual({ state: 'failed', code: 'SP_LED_REFUSED' });
    expect(a.outcome.state).toBe('ok'); // the NAK's cumulative part took a
    expect(board.seqs().filter((s) => s === sb)).toHaveLength(1);

    const c = send();
    await advance(0);
    board.nak({ seq: 0xffff, reason: NakReason.NO_SESSION, cumSeq: 0 });
    await advance(0);
    expect(c.outcome).toEqual({ state: 'failed', code: 'SP_LED_NOT_READY' });
    expect(link.stats).toMatchObject({ boardResets: 1, resyncs: 1 });
    expect(link.state).toBe(LedLinkState.Hello);
    await advance(5);
    expect(link.state).toBe(LedLinkState.Ready);
  });

  it('resyncs when the board announces a reboot, failing what was in flight, and refuses sends until CAPS', async () => {
    const { board, link, send } = await rig();
    const a = send();
    await advance(0);
    board.bootAnnouncement(0x9999);
    await advance(0);
    expect(a.outcome).toEqual({ state: 'failed', code: 'SP_LED_NOT_READY' });
    expect(link.state).toBe(LedLinkState.Hello);
    expect(link.stats.boardResets).toBe(1);
    const early = send();
    await advance(0);
    expect(early.outcome).toEqual({ state: 'failed', code: 'SP_LED_NOT_READY' });
    await advance(5);
    expect(link.state).toBe(LedLinkState.Ready);
    expect(link.caps?.bootId).toBe(0x9999);
    const after = send();
    await advance(0);
    board.ack({ cumSeq: board.seqs().at(-1)! + 1 });
    await advance(0);
    expect(after.outcome.state).toBe('ok');
  });

  it('pulls one bulk frame per turn of the event loop, small ones all at once, and sends nothing re-entrantly', async () => {
    const { board, link } = await rig({}, { rxWindow: 16 });
    const done: (Error | null)[] = [];
    const source = (sizes: number[]) => {
      let pulled = 0;
      const pull = () => {
        if (pulled >= sizes.length) return null;
        const n = sizes[pulled++]!;
        // A job's done() may call back into the pump (the presenter kicks the link from it): ignored while pumping.
        return { type: MsgType.BRIGHTNESS, payload: payload(n), done: (e: Error | null) => { done.push(e); link.kick(); } };
      };
      return { pull, get pulled() { return pulled; } };
    };
    const bulk = source([3000, 3000, 3000]);
    link.setSource(bulk.pull);
    link.kick();
    expect(bulk.pulled).toBe(1); // the first bulk frame; the rest waits for the next turn
    link.kick(); // asking again while the pump has yielded adds nothing
    expect(bulk.pulled).toBe(1);
    await advance(0);
    expect(bulk.pulled).toBe(2); // the next turn (the pump's setImmediate): the next one
    // The rest follows, turn by turn, as the board acknowledges.
    for (let i = 0; i < 5 && done.length < 3; i++) {
      board.ack({ cumSeq: board.seqs().at(-1)! + 1 });
      await advance(1);
    }
    expect(bulk.pulled).toBe(3);
    expect(done).toEqual([null, null, null]);
    const small = source([100, 100, 100, 100]);
    link.setSource(small.pull);
    link.kick();
    expect(small.pulled).toBe(4); // small frames (a clock digit, PRESENT) go out in the same turn
  });

  it('refuses control messages beyond maxQueued with SP_LED_BUSY', async () => {
    const { send } = await rig({ maxQueued: 2 }, { rxWindow: 1 });
    const jobs = [send(), send(), send(), send()];
    await advance(0);
    // One in flight (window of 1), two queued, the fourth refused.
    expect(jobs.map((j) => j.outcome.state)).toEqual(['pending', 'pending', 'pending', 'failed']);
    expect(jobs[3]!.outcome).toEqual({ state: 'failed', code: 'SP_LED_BUSY' });
  });
});
