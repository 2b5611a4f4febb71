/**
 * CommandRegistry: named operations on the pole with validated arguments (docs/mqtt-api.md §Commands).
 * The MQTT command channel and other front ends execute through it; each area registers its own
 * commands (`screen.*`, `lamp.*`, `charger.*`, `modem.*`) from a `commands.ts` next to its service.
 */
import type { z } from 'zod';
import { SmartpoleError, errorCode } from '../../protocols/errors.js';
import { commandError } from './errors.js';

export interface CommandContext {
  /** Who asked: the MQTT channel, the technician console, the simulator. */
  source: 'mqtt' | 'console' | 'sim';
  /** The signing issuer (MQTT) or the console user. */
  principal?: string;
  now: number;
}

export interface CommandSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  /** One line for `help` and docs/mqtt-api.md. */
  description: string;
  args: S;
  run(args: z.infer<S>, ctx: CommandContext): Promise<unknown> | unknown;
}

export type CommandOutcome = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; detail?: Record<string, unknown> } };

export class CommandRegistry {
  private readonly specs = new Map<string, CommandSpec>();

  register<S extends z.ZodType>(spec: CommandSpec<S>): this {
    if (this.specs.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
    this.specs.set(spec.name, spec as unknown as CommandSpec);
    return this;
  }

  list(): { name: string; description: string }[] {
    return [...this.specs.values()].map((s) => ({ name: s.name, description: s.description })).sort((a, b) => a.name.localeCompare(b.name));
  }

  has(name: string): boolean {
    return this.specs.has(name);
  }

  /** Never throws: every failure becomes an error outcome with a code. */
  async execute(name: string, rawArgs: unknown, ctx: CommandContext): Promise<CommandOutcome> {
    const spec = this.specs.get(name);
    if (!spec) return fail(commandError('SP_CMD_UNKNOWN', { name }, { message: `no command "${name}"` }));
    const parsed = spec.args.safeParse(rawArgs ?? {});
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return fail(commandError('SP_CMD_BAD_ARGS', { name }, { message: `${name}: ${i?.path.join('.') || 'args'}: ${i?.message}` }));
    }
    try {
      return { ok: true, result: (await spec.run(parsed.data, ctx)) ?? null };
    } catch (e) {
      if (e instanceof SmartpoleError) return fail(e);
      return { ok: false, error: { code: errorCode(e) === 'SP_INTERNAL' ? 'SP_CMD_FAILED' : errorCode(e), message: (e as Error).message } };
    }
  }
}

function fail(e: SmartpoleError): CommandOutcome {
  return { ok: false, error: e.toJSON() };
}
