/** One promise the chaos run checks: how often it was checked, and each time it did not hold. */
export interface Violation { invariant: string; at: number; message: string; detail?: unknown }

export class Invariant {
  checks = 0;
  readonly violations: Violation[] = [];
  constructor(readonly name: string, readonly promise: string, private readonly sink: (v: Violation) => void) {}

  /** Counts one check; records a violation when `ok` is false. */
  check(ok: boolean, message: () => string, detail?: () => unknown): boolean {
    this.checks++;
    if (!ok) {
      const v = { invariant: this.name, at: Date.now(), message: message(), detail: detail?.() };
      this.violations.push(v);
      this.sink(v);
    }
    return ok;
  }
}

export class Invariants {
  readonly all: Invariant[] = [];
  constructor(private readonly sink: (v: Violation) => void) {}
  add(name: string, promise: string): Invariant {
    const i = new Invariant(name, promise, this.sink);
    this.all.push(i);
    return i;
  }
  checks(): number { return this.all.reduce((s, i) => s + i.checks, 0); }
  violations(): Violation[] { return this.all.flatMap((i) => i.violations); }
}
