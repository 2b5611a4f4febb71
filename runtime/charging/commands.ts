/**
 * charger.* commands (docs/charging.md §Commands) in the CommandRegistry. A QR payment arrives as
 * `charger.start` with a `payment` object inside a signed command (the MQTT channel verifies the
 * signature); the payment reference makes it idempotent (docs/charging.md §Starting a session).
 */
import { z } from 'zod';
import type { CommandRegistry } from '../commands/registry.js';
import type { ChargingService } from './charging-service.js';

/** Connector ids a command may name (OCPP connector ids; the console checks the same range). */
export const CONNECTOR_IDS = { min: 1, max: 9 } as const;
const Connector = z.strictObject({ connector: z.number().int().min(CONNECTOR_IDS.min).max(CONNECTOR_IDS.max).optional() });

export function registerChargingCommands(reg: CommandRegistry, svc: ChargingService): void {
  reg.register({
    name: 'charger.start',
    description: 'authorize the connector: charging starts when a car is (or gets) plugged in; `payment` carries a QR payment notice',
    args: Connector.extend({
      idTag: z.string().min(1).max(20).optional(),
      payment: z.strictObject({
        ref: z.string().regex(/^[A-Za-z0-9._:-]{4,64}$/),
        /** Prepaid amount: the session stops when its cost reaches it. */
        amount: z.number().positive().max(10_000).optional(),
        currency: z.string().regex(/^[A-Z]{3}$/).optional(),
        provider: z.string().max(32).optional(),
        /** The plug-in the QR code showed (`{plugIn}` in charging.startUrl): refused once that car has left. */
        plugIn: z.number().int().positive().optional(),
      }).optional(),
      limitWh: z.number().int().positive().max(200_000).optional(),
    }),
    run: (a, ctx) => svc.start(a.connector, {
      source: a.payment ? 'payment' : 'command', idTag: a.idTag, paymentRef: a.payment?.ref, paymentAmount: a.payment?.amount, limitWh: a.limitWh,
      plugIn: a.payment?.plugIn, principal: ctx.principal,
    }),
  });
  reg.register({
    name: 'charger.stop',
    description: 'stop the session on the connector (or cancel a waiting authorization); force: close one waiting for its meter on the last reading',
    args: Connector.extend({ force: z.boolean().optional() }),
    run: (a) => svc.stop(a.connector, a.force ?? false),
  });
  reg.register({
    name: 'charger.enable',
    description: 'make the connector operative again',
    args: Connector,
    run: (a) => svc.setOperative(a.connector, true),
  });
  reg.register({
    name: 'charger.disable',
    description: 'make the connector inoperative (after the running session, if any)',
    args: Connector,
    run: (a) => svc.setOperative(a.connector, false),
  });
  reg.register({
    name: 'charger.status',
    description: 'connector status (OCPP 1.6), session, tariff and meter',
    args: Connector,
    run: () => svc.snapshot(),
  });
}
