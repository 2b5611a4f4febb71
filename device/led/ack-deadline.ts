/**
 * AckDeadline: the slack added to each frame's predicted ACK time (docs/protocols/led-link.md §6.2).
 * The configured margin, or more if answers have been arriving later than predicted (smoothed
 * lateness + 4 × its deviation, as TCP's RTO in RFC 6298), so a slow host or board is not mistaken
 * for lost frames.
 */
export class AckDeadline {
  private lateSrtt = 0;
  private lateVar = 0;

  constructor(private readonly ackMarginMs: number) {}

  /** Deadline slack in use, ms. */
  margin(): number {
    return Math.max(this.ackMarginMs, this.lateSrtt + 4 * this.lateVar);
  }

  /** How late (ms, ≥ 0) the answer to a frame sent once came; answers to resent frames are ambiguous (Karn) and not fed here. */
  observe(lateMs: number): void {
    this.lateVar += 0.25 * (Math.abs(lateMs - this.lateSrtt) - this.lateVar);
    this.lateSrtt += 0.125 * (lateMs - this.lateSrtt);
  }

  state(): { lateMs: number; lateVarMs: number; marginMs: number } {
    return { lateMs: this.lateSrtt, lateVarMs: this.lateVar, marginMs: this.margin() };
  }
}
