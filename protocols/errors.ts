/**
 * Every error smartpole reports carries a stable code (fastify-style), so logs, MQTT events,
 * console `ERR <code>` lines and command responses can be matched and documented.
 *
 * Each area declares its codes in its own `errors.ts` with `defineErrorCodes`; a test reads every
 * such file and checks that each code is described in docs/errors.md.
 */
export interface ErrorCodeInfo {
  /** One line for humans; `%s` placeholders are not used — details go in `detail`. */
  readonly message: string;
}

export type ErrorCatalogue<K extends string> = { readonly [P in K]: ErrorCodeInfo };

export function defineErrorCodes<K extends string>(codes: ErrorCatalogue<K>): ErrorCatalogue<K> {
  return Object.freeze(codes);
}

export class SmartpoleError extends Error {
  readonly code: string;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: string, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmartpoleError';
    this.code = code;
    this.detail = detail;
  }

  toJSON(): { code: string; message: string; detail?: Record<string, unknown> } {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

/** Builds a thrower bound to one catalogue, so call sites read `err('SP_CONFIG_INVALID', {...})`. */
export function errorFactory<K extends string>(catalogue: ErrorCatalogue<K>) {
  return (code: K, detail?: Record<string, unknown>, extra?: { message?: string; cause?: unknown }): SmartpoleError =>
    new SmartpoleError(code, extra?.message ?? catalogue[code].message, detail, { cause: extra?.cause });
}

export function errorCode(e: unknown): string {
  if (e instanceof SmartpoleError) return e.code;
  if (e && typeof e === 'object' && 'code' in e && typeof (e as { code: unknown }).code === 'string') return (e as { code: string }).code;
  return 'SP_INTERNAL';
}
