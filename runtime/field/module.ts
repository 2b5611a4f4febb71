/**
 * The field area (docs/architecture.md §Modules): the RS-485 bus with its unit drivers and the
 * services on top — charging, pads, lamp — with their commands, health entries (they land in the
 * MQTT birth) and plain-data status providers for the screen. Absent or disabled parts leave the
 * commands answering SP_CMD_NOT_FITTED and health `absent`.
 */
import type { BindingInterface } from '@serialport/bindings-interface';
import type { Logger } from 'pino';
import { FieldBus } from '../../device/fieldbus/field-bus.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../storage/database.js';
import type { KvStore } from '../storage/kv.js';
import type { Outbox } from '../uplink/outbox.js';
import type { Reporter } from '../uplink/reporter.js';
import type { HealthRegistry, Health } from '../health.js';
import type { CommandRegistry } from '../commands/registry.js';
import { SessionLedger } from '../charging/session-ledger.js';
import { ConnectorStore } from '../charging/connector-store.js';
import { ChargingService } from '../charging/charging-service.js';
import { registerChargingCommands } from '../charging/commands.js';
import { PadsService } from '../pads/pads-service.js';
import { registerPadsCommands } from '../pads/commands.js';
import { LampSchedule } from '../lamp/schedule.js';
import { SunClock } from '../lamp/sun-clock.js';
import { OverrideStore } from '../lamp/override-store.js';
import { LampAlarms } from '../lamp/lamp-alarms.js';
import { LampService } from '../lamp/lamp-service.js';
import { registerLampCommands } from '../lamp/commands.js';
import { fieldScreenStatus } from '../field-to-screen.js';
import type { FieldStatusProvider } from '../screen/field-view.js';

export interface FieldServices {
  bus: FieldBus | null;
  charging: ChargingService | null;
  pads: PadsService | null;
  lamp: LampService | null;
  /** The services as the public screen shows them (charging page, attract loop). */
  screenStatus: FieldStatusProvider;
  start(): void;
  stop(): Promise<void>;
}

export interface FieldServicesDeps {
  db: Db;
  kv: KvStore;
  outbox: Outbox;
  reporter: Reporter;
  commands: CommandRegistry;
  health: HealthRegistry;
  logger: Logger;
  binding?: BindingInterface;
  now: () => number;
}

const absent = (detail: string) => (): Health => ({ status: 'absent', detail });

/** A unit not answering: down once the master declared it offline, degraded while it has not answered yet. */
function offlineHealth(state: string, what: string): Health {
  return state === 'offline' ? { status: 'down', detail: `${what} does not answer on the field bus` } : { status: 'degraded', detail: `waiting for the first reply from the ${what}` };
}

export function createField(config: Readonly<Config>, d: FieldServicesDeps): FieldServices {
  const { logger } = d;
  const fbCfg = config.devices.fieldBus;
  const bus = fbCfg?.enabled ? new FieldBus({ config: fbCfg, logger, binding: d.binding, now: d.now }) : null;

  // A unit that stops answering (or comes back) is reported to the city, not only kept in health.
  const wasOffline = new Set<number>();
  bus?.master.on('unitState', (unit, state, name) => {
    if (state === 'offline') {
      wasOffline.add(unit);
      d.reporter.event({ code: 'fieldbus.unitOffline', severity: 'alarm', message: `${name} (Modbus unit ${unit}) does not answer on the field bus`, unit, name });
    } else if (state === 'online' && wasOffline.delete(unit)) {
      d.reporter.event({ code: 'fieldbus.unitOnline', severity: 'info', message: `${name} (Modbus unit ${unit}) answers again`, unit, name });
    }
  });

  let charging: ChargingService | null = null;
  if (bus?.ev) {
    charging = new ChargingService({
      config: config.charging, ev: bus.ev, meter: bus.meter, ledger: new SessionLedger({ db: d.db, reporter: d.reporter, poleId: config.pole.id, timeZone: config.pole.timezone }),
      connectors: new ConnectorStore(d.db), outbox: d.outbox, reporter: d.reporter, logger, now: d.now,
    });
  }
  let pads: PadsService | null = null;
  if (bus?.pads) pads = new PadsService({ unit: bus.pads, overTempC: fbCfg!.units.pads!.overTempC, kv: d.kv, reporter: d.reporter, logger });
  let lamp: LampService | null = null;
  if (bus?.lamp) {
    const lc = config.lamp;
    const loc = config.pole.location;
    lamp = new LampService({
      config: lc, driver: bus.lamp,
      schedule: new LampSchedule(lc.schedule, new SunClock(loc.lat, loc.lon, config.pole.timezone), config.pole.timezone, { level: lc.defaultLevel, rampSec: lc.rampSec }),
      overrides: new OverrideStore(d.db), alarms: new LampAlarms(d.db, { ...lc.alarms, ratedPowerW: lc.ratedPowerW }), reporter: d.reporter,
      timeZone: config.pole.timezone, logger, now: d.now,
    });
  }

  // Commands exist only for what is fitted; the console explains the rest ("not fitted") and the
  // MQTT channel answers SP_CMD_UNKNOWN (docs/charging.md §Commands).
  if (charging) registerChargingCommands(d.commands, charging);
  if (pads) registerPadsCommands(d.commands, pads);
  if (lamp) registerLampCommands(d.commands, lamp);

  d.health.register('fieldbus', bus ? (): Health => ({ ...bus.health() }) : absent('no field bus configured'));
  d.health.register('charger', charging ? (): Health => {
    const s = charging!.snapshot();
    const c = s.connectors[0]!;
    const unit = bus!.ev!.state;
    if (c.iec === null) return { status: unit === 'offline' ? 'down' : 'degraded', detail: unit === 'offline' ? `charge controller (unit ${bus!.ev!.address}) does not answer` : 'waiting for the first reply from the charge controller', ...s };
    return { status: c.status === 'Faulted' ? 'degraded' : 'ok', detail: c.status === 'Faulted' ? `connector ${c.id} Faulted: ${c.errorCode}` : undefined, ...s };
  } : absent('no EV charger configured'));
  d.health.register('pads', pads ? (): Health => {
    const s = pads!.status();
    const faulty = s.pads.filter((p) => p.fault);
    if (!s.online) return { ...offlineHealth(bus!.pads!.state, `pad board (unit ${bus!.pads!.address})`), ...s };
    return { status: faulty.length ? 'degraded' : 'ok', detail: faulty.length ? faulty.map((p) => `pad ${p.pad}: ${p.fault}`).join('; ') : undefined, ...s };
  } : absent('no phone-charging pads configured'));
  d.health.register('lamp', lamp ? (): Health => {
    const s = lamp!.status();
    if (!s.online) return { ...offlineHealth(bus!.lamp!.state, `lamp driver (unit ${bus!.lamp!.address})`), ...s };
    return { status: s.alarms.length ? 'degraded' : 'ok', detail: s.alarms.length ? `alarms: ${s.alarms.map((a) => a.alarm).join(', ')}` : undefined, ...s };
  } : absent('no lamp driver configured'));

  return {
    bus, charging, pads, lamp,
    screenStatus: fieldScreenStatus({ charging, pads, lamp }, { poleId: config.pole.id, startUrl: config.charging.startUrl, maxCurrentA: config.charging.maxCurrentA }),
    start() {
      bus?.start();
      lamp?.start();
    },
    async stop() {
      lamp?.stop();
      charging?.shutdown();
      await bus?.stop();
    },
  };
}
