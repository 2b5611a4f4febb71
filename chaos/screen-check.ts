/**
 * "The screen shows a valid page" (docs/chaos.md §Invariants): the board's decoded framebuffer
 * (`/api/screen.png`, decoded by the simulated board from the bytes it received) must equal the
 * frame the runtime says the board acknowledged (`screen.snapshot`), and must not be blank. A page
 * may turn between the two reads, so a mismatch is retried for a while before it counts.
 */
import { createCanvas, loadImage } from 'canvas';
import type { Ledger } from './ledger.js';
import type { OpsLink } from './ops-link.js';
import type { PoleRig } from './pole-rig.js';

async function pixels(png: Buffer): Promise<Uint8ClampedArray> {
  const img = await loadImage(png);
  const c = createCanvas(img.width, img.height);
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0);
  return ctx.getImageData(0, 0, img.width, img.height).data;
}

/** Distinct colours in a sample of the picture: 1 = blank. */
function colours(d: Uint8ClampedArray): number {
  const seen = new Set<number>();
  for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i]! << 16) | (d[i + 1]! << 8) | d[i + 2]!);
  return seen.size;
}

export type ScreenVerdict = { ok: true } | { ok: false; why: string } | { ok: null; why: string };

/** One comparison: ok, not ok (with why), or null when the pole could not be asked. */
export async function compareScreen(rig: PoleRig, ops: OpsLink, ledger: Ledger): Promise<ScreenVerdict> {
  const before = await rig.sim.api<Buffer>('/api/screen.png');
  const id = ops.command('screen.snapshot', { scale: 1 }, 30_000);
  const r = await ops.answer(id, () => ledger.responses, 10_000);
  if (!r) return { ok: null, why: 'no answer to screen.snapshot' };
  if (r.ok !== true) return { ok: null, why: `screen.snapshot: ${(r.error as { code?: string })?.code}` };
  const after = await rig.sim.api<Buffer>('/api/screen.png');
  if (!before.equals(after)) return { ok: null, why: 'the board presented meanwhile' };
  const snap = Buffer.from((r.result as { png: string }).png, 'base64');
  const [board, shown] = await Promise.all([pixels(after), pixels(snap)]);
  if (colours(board) <= 1) return { ok: false, why: 'the board shows a blank frame' };
  if (board.length !== shown.length) return { ok: false, why: `sizes differ: board ${board.length / 4} px, snapshot ${shown.length / 4} px` };
  let diff = 0;
  for (let i = 0; i < board.length; i += 4) if (board[i] !== shown[i] || board[i + 1] !== shown[i + 1] || board[i + 2] !== shown[i + 2]) diff++;
  return diff === 0 ? { ok: true } : { ok: false, why: `${diff} pixels differ from the frame the runtime presented (a half-drawn or stale frame)` };
}
