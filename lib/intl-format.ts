/**
 * One `Intl.DateTimeFormat` per (locale, options), kept (docs/performance.md §Memory).
 *
 * Each `new Intl.DateTimeFormat(…)` builds ICU objects in native memory — for `zh-CN` with a
 * weekday and month name, a few hundred KB of date symbols — behind a JS object of a few bytes.
 * V8 sizes its collections by the JS heap, so those wrappers are collected late and the native
 * memory behind them piles up and fragments the C heap: a formatter built per call, several times
 * a second (the sign's clock, the brightness curve, every zoned timestamp), grew the runtime's RSS
 * by tens of MB. Built once here, a formatter costs nothing after its first use.
 *
 * Keys are the call site's options, so the number of formatters is the number of distinct
 * (locale, options, time zone) a pole uses: a handful. It is still bounded (MAX_FORMATS), so a
 * zone from outside input cannot grow it.
 */
const MAX_FORMATS = 256;
const formats = new Map<string, Intl.DateTimeFormat>();

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, options);
    if (formats.size >= MAX_FORMATS) formats.clear();
    formats.set(key, f);
  }
  return f;
}

/** How many formatters are kept (for tests). */
export function dateTimeFormatCount(): number {
  return formats.size;
}
