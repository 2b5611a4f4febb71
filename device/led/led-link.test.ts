/**
 * LedLink's session on fake timers over an in-process byte port with a scripted board
 * (docs/protocols/led-link.md §5.2, §6.5): HELLO retries until CAPS, a late CAPS for an older
 * HELLO is ignored, silence and a changed boot id resynchronise, the port closing fails what waits.
 */
import { describe, expect, it, vi } from 'vitest';
import { CapsReason, MsgType, TestPattern, encodeCaps, encodeStatus, type Status } from '../../protocols/led-link/messages.js';
import { FakeBytePort } from '../../test/helpers/byte-port.js';
import { ScriptedLedBoard } from '../../test/helpers/led-script.js';
import { testLogger } from '../../test/helpers/logger.js';
import { LedLink, LedLinkState, type LedLinkOptions } from './led-link.js';
import { fakeTimersClosing } from '../../test/helpers/fake-timers.js';

const links = fakeTimersClosing((l: LedLink) => l.close());
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

function rig(o: Partial<LedLinkOptions> = {}, answerHello = true) {
  const port = new FakeBytePort('/fake/led');
  const board = new ScriptedLedBoard(port);
  board.answerHello = answerHello;
  const link = new LedLink({ serial: port.asSerial(), logger: testLogger(), fec: 0, helloIntervalMs: 500, statusIntervalMs: 0, ...o });
  links.push(link);
  const states: LedLinkState[] = [];
  link.on('state', (s) => states.push(s));
  const hellos = () => board.frames.filter((f) => f.type === MsgType.HELLO);
  return { port, board, link, states, hellos };
}

const status = (bootId: number): Status => ({
  bootId, uptimeS: 10, temperatureC: 31, supplyMv: 5000, ambientLux: 200, brightness: 80, testPattern: TestPattern.OFF, lastFrameId: 0,
  presents: 0, blits: 0, rxFrames: 0, rxErrors: 0, fecCorrected: 0, faults: 0, moduleCount: 1, failedModules: [],
});

describe('LedLink session', () => {
  it('says HELLO every helloIntervalMs until the board answers, and takes only the CAPS that answers the latest HELLO', async () => {
    const { board, link, hellos } = rig({}, false);
    await advance(1200);
    expect(hellos()).toHaveLength(3); // at 0, 500, 1000 ms
    expect(link.state).toBe(LedLinkState.Hello);
    const [first, , latest] = hellos();
    // A late answer to the first HELLO: ignored.
    board.send(MsgType.CAPS, encodeCaps({ ...board.caps, reason: CapsReason.HELLO, helloSeq: first!.seq }));
    await advance(0);
    expect(link.state).toBe(LedLinkState.Hello);
    board.send(MsgType.CAPS, encodeCaps({ ...board.caps, reason: CapsReason.HELLO, helloSeq: latest!.seq }));
    await advance(0);
    expect(link.state).toBe(LedLinkState.Ready);
    expect(link.caps).toMatchObject({ width: board.caps.width, bootId: board.caps.bootId });
    await advance(2000);
    expect(hellos()).toHaveLength(3); // no more HELLOs once ready
  });

  it('resynchronises when the board is silent for three STATUS periods and a second', async () => {
    const { board, link, hellos } = rig({ statusIntervalMs: 1000 });
    await advance(5);
    expect(link.state).toBe(LedLinkState.Ready);
    await advance(3000);
    board.send(MsgType.STATUS, encodeStatus(status(board.caps.bootId))); // still alive at 3 s
    await advance(3500);
    expect(link.stats.resyncs).toBe(0);
    expect(link.lastStatus?.temperatureC).toBe(31);
    await advance(1500); // 5 s of silence since the last STATUS
    expect(link.stats.resyncs).toBe(1);
    expect(hellos()).toHaveLength(2);
  });

  it('resynchronises when a STATUS carries another boot id (the board rebooted unseen)', async () => {
    const { board, link, states } = rig();
    await advance(5);
    board.send(MsgType.STATUS, encodeStatus(status(board.caps.bootId + 1)));
    await advance(0);
    expect(link.stats).toMatchObject({ boardResets: 1, resyncs: 1 });
    expect(states).toEqual([LedLinkState.Ready, LedLinkState.Hello]);
    await advance(5);
    expect(link.state).toBe(LedLinkState.Ready);
  });

  it('goes offline when the port closes, failing what waits, and says HELLO again when it reopens', async () => {
    const { port, link, hellos } = rig();
    await advance(5);
    const pending = link.send(MsgType.BRIGHTNESS, new Uint8Array(4));
    port.close('unplugged');
    await expect(pending).rejects.toMatchObject({ code: 'SP_LED_NOT_READY' });
    expect(link.state).toBe(LedLinkState.Offline);
    await expect(link.send(MsgType.BRIGHTNESS, new Uint8Array(4))).rejects.toMatchObject({ code: 'SP_LED_NOT_READY' });
    port.open();
    await advance(5);
    expect(link.state).toBe(LedLinkState.Ready);
    expect(hellos()).toHaveLength(2);
  });
});
