/**
 * Faults injected into the simulated LED board's line and controller (docs/simulator.md, /api/faults
 * via ledBoardFaults): corrupted bytes, dropped frames, a hung controller, sensor overrides. This is
 * the state and the byte corruption; the board consults it on every chunk and frame.
 */
export interface InjectedFaults {
  /** Probability that a byte on the wire is corrupted. */
  corruptRate: number;
  corruptDirection: 'rx' | 'tx' | 'both';
  /** Probability that a whole received frame is ignored. */
  dropRate: number;
  /** Until when (ms, board clock) the board is hung: bytes are lost, nothing is answered. */
  stalledUntil: number;
  luxOverride: number | null;
  temperatureOverride: number | null;
}

export const NO_FAULTS: Readonly<InjectedFaults> = { corruptRate: 0, corruptDirection: 'both', dropRate: 0, stalledUntil: 0, luxOverride: null, temperatureOverride: null };

/**
 * Line noise in one direction: each byte is flipped with the injected probability. Returns the
 * chunk itself when no corruption applies, else a corrupted copy and how many bytes were hit.
 */
export function corruptBytes(chunk: Buffer, f: InjectedFaults, dir: 'rx' | 'tx'): { bytes: Buffer; corrupted: number } {
  if (f.corruptRate <= 0 || (f.corruptDirection !== 'both' && f.corruptDirection !== dir)) return { bytes: chunk, corrupted: 0 };
  const out = Buffer.from(chunk);
  let corrupted = 0;
  // Geometric skips: cost proportional to the corrupted bytes, not all bytes.
  const logq = Math.log(1 - Math.min(0.5, f.corruptRate));
  for (let i = Math.floor(Math.log(Math.random()) / logq); i < out.length; i += 1 + Math.floor(Math.log(Math.random()) / logq)) {
    out[i]! ^= 1 + Math.floor(Math.random() * 255);
    corrupted++;
  }
  return { bytes: out, corrupted };
}
