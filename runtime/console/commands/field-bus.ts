/**
 * Shared pieces for the field-bus devices' console commands (lamp, charger, pads):
 * `<device> status` through `<device>.status` when registered, else the device's health entry;
 * and a selftest check per device from its health.
 */
import type { RunContext } from '../command-tree.js';
import { renderGeneric } from '../render.js';
import type { SelfCheck } from '../selftest.js';
import { callDevice, hasDeviceCommand, notConfigured, notFitted } from './device-call.js';

/** A device's own status view (./field-console-text.ts); without one the result is shown generically. */
export type StatusView = (result: never, timeZone: string, paint: RunContext['paint']) => string[];

export async function deviceStatus(ctx: RunContext, device: string, view?: StatusView) {
  if (hasDeviceCommand(ctx.env, `${device}.status`)) {
    const r = await callDevice(ctx, `${device}.status`, {});
    return { result: r, text: view ? viewOrGeneric(view, r, ctx) : renderGeneric(r, ctx.paint) };
  }
  const h = ctx.env.health.snapshot()[device];
  // Health `absent` is how a service says its device is not fitted (the field-bus services' health
  // entries).
  if (!h || h.status === 'absent') throw notFitted(ctx.env, device, `${device}.status`);
  return { result: h, text: renderGeneric(h, ctx.paint) };
}

export function deviceCheck(device: string): SelfCheck {
  return {
    name: device,
    timeoutMs: 8000,
    async run(env) {
      const why = notConfigured(env, device);
      if (why) return { result: 'SKIP', reason: `not fitted: ${why}` };
      const h = env.health.snapshot()[device];
      if (!h) {
        return hasDeviceCommand(env, `${device}.status`)
          ? { result: 'PASS', reason: `${device} service running (no health reported)` }
          : { result: 'SKIP', reason: `configured, but the ${device} service is not in this build` };
      }
      if (h.status === 'ok') return { result: 'PASS', reason: h.detail ?? `${device} answers on the field bus` };
      if (h.status === 'absent') return { result: 'SKIP', reason: h.detail ?? 'not fitted' };
      return { result: 'FAIL', reason: `${h.status}: ${h.detail ?? 'no detail'}; see ${device} status` };
    },
  };
}


/** The device's view; a result of another shape (a service from another build) is still shown, generically. */
function viewOrGeneric(view: StatusView, r: unknown, ctx: RunContext): string[] {
  try {
    return view(r as never, ctx.env.timeZone, ctx.paint);
  } catch {
    return renderGeneric(r, ctx.paint);
  }
}
