/**
 * A touch on the simulated panel from the outside world — POST /api/touch or the web viewer's
 * WebSocket — checked the same way for both: screen pixels in range, cable plugged.
 */
import type { SimDevice } from '../devices/sim-device.js';
import type { SimTouchPanel, TouchAction, TouchResult } from '../devices/touch-panel.js';
import { HttpError } from '../http/router.js';

export const TOUCH_ACTIONS: readonly TouchAction[] = ['tap', 'down', 'move', 'up'];

export function parseTouch(b: { x?: unknown; y?: unknown; action?: unknown } | undefined, width: number, height: number): { action: TouchAction; x: number; y: number } {
  const action = (b?.action ?? 'tap') as TouchAction;
  if (!b || !Number.isInteger(b.x) || !Number.isInteger(b.y) || !TOUCH_ACTIONS.includes(action)) {
    throw new HttpError(400, 'SP_SIM_BAD_REQUEST', 'body must be {"x": int, "y": int, "action": "tap" | "down" | "move" | "up"} in screen pixels');
  }
  const [x, y] = [b.x as number, b.y as number];
  if (x < 0 || y < 0 || x >= width || y >= height) throw new HttpError(400, 'SP_SIM_BAD_REQUEST', `(${x}, ${y}) is outside the ${width}×${height} screen`);
  return { action, x, y };
}

/** Real eGalax packets on the touch PTY; 409 SP_SIM_DEVICE_UNPLUGGED while the cable is pulled. */
export async function pressPanel(touch: SimTouchPanel, device: SimDevice | undefined, action: TouchAction, x: number, y: number): Promise<TouchResult> {
  const unplugged = () => new HttpError(409, 'SP_SIM_DEVICE_UNPLUGGED', 'the touch panel is unplugged (POST /api/faults {"device":"touch","fault":"replug"})');
  // The cable state is known at once; the panel's port notices a pulled cable a moment later.
  if (device?.pair?.plugged === false || !touch.isOpen) throw unplugged();
  try {
    return await touch.touch(action, x, y);
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('SP_SERIAL_')) throw unplugged();
    throw e;
  }
}
