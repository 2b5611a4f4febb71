/** Polls a synchronous condition every 5 ms until it holds (the benches' own waits; no vitest here). */
export async function until<T>(f: () => T | null | undefined | false, timeoutMs: number, what: string): Promise<T> {
  const end = performance.now() + timeoutMs;
  for (;;) {
    const v = f();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
