/**
 * `modem.*` commands (CommandRegistry): the MQTT command channel and the technician
 * console run them. Registered only when a modem is fitted: on a pole without one the
 * front ends answer "not fitted" themselves (the console names what is missing).
 */
import { z } from 'zod';
import { MAX_AT_LINE } from '../../protocols/console/at-policy.js';
import type { CommandRegistry } from '../commands/registry.js';
import { modemError } from '../../device/modem/errors.js';
import type { ModemService } from './modem-service.js';

export function registerModemCommands(reg: CommandRegistry, modem: ModemService): void {
  const need = (): ModemService => modem;
  reg.register({
    name: 'modem.status',
    description: 'the modem in one line, with its health',
    args: z.object({}).strict(),
    run: () => ({ line: need().statusLine(), health: need().health() }),
  });
  reg.register({
    name: 'modem.info',
    description: 'identity, SIM, registration, serving cell, data context, counters',
    args: z.object({}).strict(),
    run: () => {
      const m = need();
      const { info, counters, state, since, failure } = m.machine;
      return { state, since: new Date(since).toISOString(), failure, ...info, counters, recoveries: m.ladder.counters, lifetime: m.lifetime(), channel: m.channel.stats };
    },
  });
  reg.register({
    name: 'modem.signal',
    description: 'read signal and serving cell now',
    args: z.object({}).strict(),
    run: async () => {
      const m = need();
      await m.pollNow();
      const i = m.machine.info;
      return { state: m.state, cell: i.cell, csq: i.csq, operator: i.operator, network: i.network, at: i.signalAt ? new Date(i.signalAt).toISOString() : null };
    },
  });
  reg.register({
    name: 'modem.recover',
    description: 'run a recovery step now: requery | reattach | reset | power-cycle',
    args: z.object({ step: z.enum(['requery', 'reattach', 'reset', 'power-cycle']) }).strict(),
    run: (a, ctx) => need().recoverNow(a.step, `${ctx.source}${ctx.principal ? `:${ctx.principal}` : ''}`),
  });
  reg.register({
    name: 'modem.at',
    description: 'send one raw AT command (technician console only)',
    args: z.object({ command: z.string().regex(/^AT[^\r\n]*$/i, 'one AT command line').max(MAX_AT_LINE), timeoutMs: z.number().int().min(100).max(180_000).optional() }).strict(),
    run: async (a, ctx) => {
      // Raw AT can change the APN, band locks or the PIN: only at the pole, never over the network.
      if (ctx.source === 'mqtt') throw modemError('SP_MODEM_AT_REFUSED', { source: ctx.source });
      const r = await need().machine.at(a.command, a.timeoutMs);
      return { lines: r.lines, final: 'OK', elapsedMs: Math.round(r.elapsedMs) };
    },
  });
}
