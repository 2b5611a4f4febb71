/**
 * How device commands reach services owned by other areas: through the CommandRegistry
 * (`lamp.set`, `charger.stop`, `modem.at` …, registered by the modem and field-bus services). While a
 * service is not on this pole the console answers SP_CMD_NOT_FITTED, naming what is missing; once the
 * service registers its commands, the console command works with no change here (docs/console.md
 * "Devices not yet fitted").
 */
import { SmartpoleError } from '../../../protocols/errors.js';
import { commandError } from '../../commands/errors.js';
import type { Config } from '../../config/schema.js';
import type { RunContext } from '../command-tree.js';
import type { ConsoleEnv } from '../env.js';
import { withCancel } from '../render.js';

/** Which config section fits the device behind a command prefix. */
const SECTION: Record<string, { key: keyof NonNullable<Config['devices']>; label: string }> = {
  lamp: { key: 'fieldBus', label: 'lamp driver (RS-485 field bus)' },
  charger: { key: 'fieldBus', label: 'EV charger (RS-485 field bus)' },
  pads: { key: 'fieldBus', label: 'phone-charging pads (RS-485 field bus)' },
  modem: { key: 'modem', label: '5G modem' },
  touch: { key: 'touch', label: 'touch panel' },
  sign: { key: 'sign', label: 'Onbon notice sign' },
};

/** Why a device is not available, or null when its section is configured and enabled. */
export function notConfigured(env: ConsoleEnv, device: string): string | null {
  const s = SECTION[device];
  if (!s) return null;
  const section = env.deviceSection(s.key);
  if (!section) return `no ${s.label} on this pole (no devices.${s.key} section in the config)`;
  if (section.enabled === false) return `the ${s.label} is disabled (devices.${s.key}.enabled: false)`;
  return null;
}

export function notFitted(env: ConsoleEnv, device: string, command?: string): SmartpoleError {
  const why = notConfigured(env, device)
    ?? `the ${SECTION[device]?.label ?? device} service is not running in this build${command ? ` (no "${command}" command registered)` : ''}`;
  return commandError('SP_CMD_NOT_FITTED', { device, command }, { message: `${device}: not fitted — ${why}` });
}

export function hasDeviceCommand(env: ConsoleEnv, name: string): boolean {
  return env.commands.has(name);
}

/**
 * Runs a registered command for the console (source "console", principal = the session) and
 * returns its result; its error becomes the console's error with the same code.
 */
export async function callDevice(ctx: RunContext, name: string, args: Record<string, unknown>, timeoutMs = 10_000): Promise<unknown> {
  const device = name.split('.')[0]!;
  if (!ctx.env.commands.has(name)) throw notFitted(ctx.env, device, name);
  const outcome = await withCancel(
    ctx.env.commands.execute(name, args, { source: 'console', principal: `console:${ctx.session.id}`, now: ctx.env.now() }),
    ctx.signal, timeoutMs, name,
  );
  if (!outcome.ok) throw new SmartpoleError(outcome.error.code, outcome.error.message, outcome.error.detail);
  return outcome.result;
}
