/**
 * How large a bench's samples are. Every bench picks its counts through `sample()` so that
 * `--smoke` (the README's test command: "ran and produced every figure", seconds a bench),
 * `--quick` and a full run differ only in size, never in the path they exercise (docs/performance.md).
 */
export interface SampleSize {
  quick?: boolean;
  smoke?: boolean;
}

/** The count for this run: `full` normally, `quick` with --quick, `smoke` with --smoke. */
export function sample<T>(o: SampleSize, full: T, quick: T, smoke: T): T {
  if (o.smoke) return smoke;
  if (o.quick) return quick;
  return full;
}
