/**
 * `charger status | stop <connector> | enable | disable` (docs/console.md §Commands) through the
 * charging service's `charger.status`, `charger.stop {connector}`, `charger.enable/disable
 * {connector?}` (docs/charging.md §Commands). Stopping a session is final for that driver: the session
 * record is closed.
 */
import { consoleError } from '../errors.js';
import { CONNECTOR_IDS } from '../../charging/commands.js';
import { callDevice } from './device-call.js';
import { deviceCheck, deviceStatus } from './field-bus.js';
import { renderChargerStatus } from './field-console-text.js';
import type { ConsoleModule } from './module.js';

function connector(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < CONNECTOR_IDS.min || n > CONNECTOR_IDS.max) throw consoleError('SP_CONSOLE_BAD_ARGS', undefined, { message: `a connector is a number, ${CONNECTOR_IDS.min}–${CONNECTOR_IDS.max}` });
  return n;
}

export const chargerModule: ConsoleModule = {
  checks: [deviceCheck('charger')],
  command: {
    name: 'charger', level: 'tech', summary: 'EV charger: status, stop a session, enable/disable', defaultSub: 'status',
    subcommands: [
      { name: 'status', level: 'tech', summary: 'connector states (OCPP 1.6), current, energy, sessions', run: (ctx) => deviceStatus(ctx, 'charger', renderChargerStatus) },
      {
        name: 'stop', level: 'tech', usage: '<connector>', summary: 'stop the charging session on a connector (the record is closed and sent)',
        args: [{ name: 'connector', required: true }],
        async run(ctx, a) {
          const c = connector(a.positionals[0]);
          const r = await callDevice(ctx, 'charger.stop', { connector: c });
          return { result: { connector: c, reply: r }, text: `Charging on connector ${c} stopped.` };
        },
      },
      {
        name: 'enable', level: 'tech', usage: '[connector]', summary: 'allow charging (all connectors, or one)',
        args: [{ name: 'connector' }],
        async run(ctx, a) {
          const c = connector(a.positionals[0]);
          const r = await callDevice(ctx, 'charger.enable', c === undefined ? {} : { connector: c });
          return { result: { connector: c ?? null, enabled: true, reply: r }, text: `Charging enabled${c ? ` on connector ${c}` : ''}.` };
        },
      },
      {
        name: 'disable', level: 'tech', usage: '[connector]', summary: 'refuse new charging (Unavailable); a running session is not stopped',
        args: [{ name: 'connector' }],
        async run(ctx, a) {
          const c = connector(a.positionals[0]);
          const r = await callDevice(ctx, 'charger.disable', c === undefined ? {} : { connector: c });
          return { result: { connector: c ?? null, enabled: false, reply: r }, text: `Charging disabled${c ? ` on connector ${c}` : ''}: the charger shows Unavailable.` };
        },
      },
    ],
  },
};
