/**
 * Cars and phones at the pole (docs/chaos.md §Workload): a car plugs in, its driver scans the QR
 * code (the pole's plug-in number for the car, read here with `charger.status`) and pays by the QR
 * flow (`charger.start {payment: {plugIn}}`, a signed command), charges for a while and leaves;
 * phones lie on the pads and are taken away. After each car leaves, the simulated meter's own count
 * for that plug-in (`ev.state.lastCycle`) is kept as the truth the charging invariant compares the
 * pole's records with.
 */
import type { Ledger } from './ledger.js';
import type { EventLog } from './event-log.js';
import type { OpsLink } from './ops-link.js';
import type { PoleRig } from './pole-rig.js';

export interface CarCycle { n: number; paymentRef: string; commandId: string; plugIn: number | null; plugAt: number; unplugAt: number | null; cycle: number | null; energyWh: number | null }

interface EvState { lastCycle?: { energyWh: number | null; cycle: number } | null }

export class CarsWork {
  readonly cycles: CarCycle[] = [];
  carBusy = false;
  phones = 0;
  private n = 0;
  private leftAt = 0;

  constructor(private readonly rig: PoleRig, private readonly ops: OpsLink, private readonly ledger: Ledger, private readonly log: EventLog, private readonly rnd: () => number) {}

  /** What the QR code on the screen says: the pole's number for the car plugged in (null: no QR to scan). */
  private async scanQr(): Promise<number | null> {
    const id = this.ops.command('charger.status', {}, 20_000);
    const r = await this.ops.answer(id, () => this.ledger.responses, 15_000);
    const c = (r?.result as { connectors?: { plugIn?: number | null }[] } | undefined)?.connectors?.[0];
    return typeof c?.plugIn === 'number' ? c.plugIn : null;
  }

  private fault(device: string, fault: string, args: Record<string, unknown> = {}) {
    return this.rig.sim.api('/api/faults', { method: 'POST', body: JSON.stringify({ device, fault, args }) });
  }

  private async evState(): Promise<EvState> {
    const devs = await this.rig.sim.api<{ name: string; state: EvState }[]>('/api/devices');
    return devs.find((d) => d.name === 'ev')?.state ?? {};
  }

  /** One car: plug in, pay, charge `stayMs`, leave; the meter's figure is read after. */
  async car(stayMs: number): Promise<void> {
    // A bay is free again only after the car has driven off and the next one parked: 30 s at least.
    if (this.carBusy || Date.now() - this.leftAt < 30_000) return;
    this.carBusy = true;
    const n = ++this.n;
    const paymentRef = `WX-CHAOS-${process.pid}-${n}`;
    try {
      await this.fault('ev', 'plug', { socPct: 10 + Math.round(this.rnd() * 60) });
      const cycle: CarCycle = { n, paymentRef, commandId: '', plugIn: null, plugAt: Date.now(), unplugAt: null, cycle: null, energyWh: null };
      this.cycles.push(cycle);
      await new Promise((r) => setTimeout(r, 500 + this.rnd() * 2000));
      cycle.plugIn = await this.scanQr();
      if (cycle.plugIn === null) {
        // No QR on the screen (the pole is offline, or does not see the car yet): this driver does not pay.
        this.log.add('work', `car ${n} plugged in; no QR code to scan, not paid`);
      } else {
        cycle.commandId = this.ops.command('charger.start', { connector: 1, payment: { ref: paymentRef, currency: 'CNY', provider: 'wechat', plugIn: cycle.plugIn } }, 120_000);
        this.log.add('work', `car ${n} plugged in (plug-in ${cycle.plugIn}), paid ${paymentRef}`);
      }
      await new Promise((r) => setTimeout(r, stayMs));
      await this.fault('ev', 'unplug');
      cycle.unplugAt = Date.now();
      await new Promise((r) => setTimeout(r, 1500));
      const s = await this.evState();
      cycle.cycle = s.lastCycle?.cycle ?? null;
      cycle.energyWh = s.lastCycle?.energyWh ?? null;
      this.log.add('work', `car ${n} left`, { meterWh: cycle.energyWh, cycle: cycle.cycle });
    } catch (e) {
      this.log.add('work', `car ${n}: ${(e as Error).message}`);
    } finally {
      this.leftAt = Date.now();
      this.carBusy = false;
    }
  }

  async phone(): Promise<void> {
    const pad = 1 + Math.floor(this.rnd() * 2);
    try {
      await this.fault('pads', 'phone-on', { pad, socPct: Math.round(this.rnd() * 80) });
      this.phones++;
      setTimeout(() => { this.fault('pads', 'phone-off', { pad }).catch(() => null); }, 5_000 + this.rnd() * 40_000).unref();
    } catch { /* pads busy or unplugged: the next phone */ }
  }
}
