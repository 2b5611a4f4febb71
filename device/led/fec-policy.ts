/**
 * FecPolicy: picks the Reed–Solomon parity per block and the frame payload limit from what the
 * link reports (docs/protocols/led-link.md §6.4). A clean link (USB CDC, which has its own CRC)
 * pays nothing; the first failure switches FEC on at the level for ~1 % byte errors; ACKs then
 * report the bytes the board repaired, which measures the error rate directly, and the level
 * follows it with hysteresis. Frame failures in spite of FEC shrink frames (adaptive sizing).
 */
export const FEC_LEVELS = [0, 8, 20, 32] as const;

/** Highest byte error rate each level is used up to (t = parity/2 per 255-byte block). */
const LEVEL_MAX_RATE = [0, 2e-3, 1.3e-2, 1] as const;

export interface FecPolicyOptions {
  /** 'auto' adapts; a number pins the parity (0 = never). Default 'auto'. */
  mode?: 'auto' | number;
  /** Largest parity the board decodes (CAPS maxFec). */
  maxFec: number;
  /** The board's maxPayload. */
  maxPayload: number;
  /** Bytes acknowledged without a single repair before FEC is switched off. Default 1 MiB. */
  cleanBytesToOff?: number;
  /** Smallest payload limit adaptive sizing goes down to. Default 1024. */
  minPayload?: number;
}

export interface FecPolicyState {
  parity: number;
  payloadLimit: number;
  /** Estimated byte error rate on the wire. */
  errorRate: number;
  /** Estimated fraction of frames lost in spite of FEC. */
  frameLossRate: number;
}

export class FecPolicy {
  private level = 0;
  private rate = 0;
  private loss = 0;
  private clean = 0;
  private limit: number;
  private readonly levels: number[];
  private readonly o: Required<Omit<FecPolicyOptions, 'mode'>> & { mode: 'auto' | number };

  constructor(o: FecPolicyOptions) {
    this.o = { mode: o.mode ?? 'auto', cleanBytesToOff: o.cleanBytesToOff ?? 1 << 20, minPayload: o.minPayload ?? 1024, maxFec: o.maxFec, maxPayload: o.maxPayload };
    this.levels = FEC_LEVELS.filter((l) => l <= o.maxFec);
    this.limit = o.maxPayload;
    if (typeof this.o.mode === 'number') {
      const want = this.o.mode;
      const i = this.levels.findIndex((l) => l >= want);
      this.level = i < 0 ? this.levels.length - 1 : i;
    }
  }

  get parity(): number {
    return this.levels[this.level]!;
  }

  get payloadLimit(): number {
    return this.limit;
  }

  state(): FecPolicyState {
    return { parity: this.parity, payloadLimit: this.limit, errorRate: this.rate, frameLossRate: this.loss };
  }

  /**
   * Frames of `wireBytes`, sent with `sentParity`, were acknowledged; the board repaired
   * `corrected` bytes in them.
   */
  onDelivered(wireBytes: number, corrected: number, sentParity = this.parity): void {
    // A frame sent without FEC (queued before FEC came on) has no repair count to report: its
    // "0 corrected" would drag the rate estimate down and step the level below what the line
    // needs (seen at 1 MB/s with 1 % corruption: 20 → 8, then losses, then 1 KiB frames).
    if (sentParity === 0 && this.level > 0) return;
    const a = Math.min(1, wireBytes / 65536);
    this.rate += a * (corrected / Math.max(1, wireBytes) - this.rate);
    this.loss += Math.min(1, 0.02) * (0 - this.loss);
    this.clean = corrected > 0 ? 0 : this.clean + wireBytes;
    if (this.o.mode !== 'auto') return;
    if (this.level > 0 && this.clean >= this.o.cleanBytesToOff) {
      this.level = 0;
      this.rate = 0;
    } else if (this.level > 0) {
      // Step down only well below the lower level's ceiling (hysteresis), up as soon as above ours.
      const want = this.levelFor(this.rate);
      if (want > this.level) this.level = want;
      else if (want < this.level && this.rate < 0.85 * LEVEL_MAX_RATE[this.level - 1]!) this.level = Math.max(1, want);
    }
    if (this.loss < 0.01) this.limit = Math.min(this.o.maxPayload, this.limit * 2);
  }

  /**
   * A frame of `wireBytes`, sent with `sentParity`, was lost or refused as corrupt (NAK CRC, or
   * overtaken by a later frame).
   */
  onLost(wireBytes: number, sentParity = this.parity): void {
    this.clean = 0;
    // A frame sent before FEC came on says nothing about the current level or the frame size.
    if (sentParity === 0 && this.level > 0) return;
    if (this.o.mode === 'auto' && this.level === 0) {
      // Without FEC a loss says little about the rate: assume the level for ~1 % errors. Losses
      // without FEC say nothing about frame size either, so the size estimate is left alone.
      this.level = Math.min(this.levels.length - 1, 2);
      this.rate = Math.max(this.rate, LEVEL_MAX_RATE[1]!);
      return;
    }
    this.loss += 0.02 * (1 - this.loss);
    if (this.o.mode === 'auto' && this.loss > 0.05 && this.level < this.levels.length - 1) {
      // Losing more than 1 frame in 20 in spite of FEC: the estimate lags; step up now.
      this.level++;
    }
    if (this.loss > 0.05) this.limit = Math.max(this.o.minPayload, Math.floor(this.limit / 2));
    void wireBytes;
  }

  private levelFor(rate: number): number {
    for (let i = 1; i < this.levels.length; i++) if (rate <= LEVEL_MAX_RATE[i]!) return i;
    return this.levels.length - 1;
  }
}
