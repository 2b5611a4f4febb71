/**
 * The workload loop (docs/chaos.md §Workload): every ~1.5 s one seeded choice — a notice pushed or
 * withdrawn, a CAP alert, a command, a data set, a touch, a citizen's message, a car, a phone —
 * while the faults run. Commands are the harmless read-only ones plus `ping` (whose answer carries
 * the pole's uptime, so a command run twice would answer differently).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_DIR } from '../simulator/sample-data.js';
import { isoWithOffset } from '../protocols/time.js';
import { CarsWork } from './cars-work.js';
import { CitizenWork } from './citizen-work.js';
import type { EventLog } from './event-log.js';
import type { Ledger } from './ledger.js';
import { NoticeWork } from './notices-work.js';
import type { OpsLink } from './ops-link.js';
import type { PoleRig } from './pole-rig.js';
import { sleep } from './faults.js';

const COMMANDS: [string, Record<string, unknown>][] = [
  ['ping', {}], ['notice.list', { limit: 50 }], ['config.get', { path: 'mqtt.url' }], ['screen.state', {}], ['charger.status', {}], ['lamp.status', {}], ['modem.status', {}],
];

export class Workload {
  readonly notices: NoticeWork;
  readonly citizen: CitizenWork;
  readonly cars: CarsWork;
  readonly counts: Record<string, number> = {};
  private lastMessage = 0;
  private readonly weather = JSON.parse(readFileSync(join(SAMPLE_DIR, 'weather.json'), 'utf8')) as { data: Record<string, unknown> };

  constructor(rig: PoleRig, private readonly ops: OpsLink, ledger: Ledger, private readonly log: EventLog, private readonly rnd: () => number) {
    this.notices = new NoticeWork(ops, log, rnd);
    this.citizen = new CitizenWork(rig, ops, ledger, log, rnd);
    this.cars = new CarsWork(rig, ops, ledger, log, rnd);
  }

  private count(k: string): void {
    this.counts[k] = (this.counts[k] ?? 0) + 1;
  }

  async run(stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      await sleep(700 + this.rnd() * 1600, stopped);
      if (stopped()) break;
      const x = this.rnd();
      if (x < 0.18) { this.notices.push(); this.count('notice.push'); }
      else if (x < 0.26) { this.notices.withdraw(); this.count('notice.withdraw'); }
      else if (x < 0.29) { this.notices.cap(); this.count('cap'); }
      else if (x < 0.52) {
        const [name, args] = COMMANDS[Math.floor(this.rnd() * COMMANDS.length)]!;
        this.ops.command(name, name === 'ping' ? { echo: String(Math.floor(this.rnd() * 1e6)) } : args);
        this.count('command');
      } else if (x < 0.58) {
        const now = Date.now();
        this.ops.pushDataSet('weather', { ...this.weather.data, observedAt: isoWithOffset(now), tempC: Math.round(this.rnd() * 30) });
        this.log.add('work', 'data set weather pushed');
        this.count('dataset');
      } else if (x < 0.72) { void this.citizen.randomTap(); this.count('touch'); }
      else if (x < 0.80) {
        // At most 20 messages per 10 min per pole (docs/screen.md §Messages to the city): one per 40 s keeps under it.
        if (!this.citizen.busy && Date.now() - this.lastMessage > 40_000) {
          this.lastMessage = Date.now();
          void this.citizen.message();
          this.count('citizen.visit');
        }
      } else if (x < 0.88) {
        if (!this.cars.carBusy) { void this.cars.car(15_000 + this.rnd() * 60_000); this.count('car'); }
      } else { void this.cars.phone(); this.count('phone'); }
    }
  }
}
