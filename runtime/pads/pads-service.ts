/**
 * PadsService: the phone-charging pads (docs/charging.md §Phone-charging pads). Keeps each pad as
 * operations want it (pads.set; persisted, re-asserted after the pad board restarts), raises an alarm
 * when a pad overheats and clears it when the pad has cooled, and reports a finished phone charge as
 * telemetry. `status()` is the plain-data view for the screen's charging page.
 */
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import type { ChargePadsUnit, PadsReading } from '../../device/fieldbus/units/charge-pads.js';
import { PadState } from '../../protocols/fieldbus/charge-pads.js';
import type { KvStore } from '../storage/kv.js';
import type { Reporter } from '../uplink/reporter.js';
import { padsError } from './errors.js';

export interface PadSnapshot {
  pad: number;
  enabled: boolean;
  inUse: boolean;
  powerW: number;
  temperatureC: number;
  /** 'OverTemperature' | 'ForeignObject' | 'CoilFault' | null */
  fault: string | null;
}

export interface PadsStatus {
  online: boolean;
  pads: PadSnapshot[];
  /** Pads a passer-by can use now. */
  free: number;
}

const KV_DISABLED = 'pads.disabled';

export class PadsService extends EventEmitter<{ change: [PadsStatus] }> {
  private readonly log: Logger;
  private configured = false;
  private last: PadsReading | null = null;
  private readonly faulted = new Set<number>();

  constructor(private readonly o: { unit: ChargePadsUnit; overTempC: number; kv: KvStore; reporter: Reporter; logger: Logger }) {
    super();
    this.log = o.logger.child({ service: 'pads' });
    o.unit.on('reading', (r) => { void this.onReading(r); });
    o.unit.on('failure', () => { if (!o.unit.online) { this.configured = false; this.emit('change', this.status()); } });
  }

  private disabled(): Set<number> {
    return new Set(JSON.parse(this.o.kv.get(KV_DISABLED) ?? '[]') as number[]);
  }

  private async onReading(r: PadsReading): Promise<void> {
    const prev = this.last;
    this.last = r;
    if (!this.configured) {
      this.configured = true;
      await this.o.unit.setOverTempLimit(this.o.overTempC).catch((e: Error) => { this.configured = false; this.log.warn({ err: e.message }, 'cannot set pad over-temperature limit'); });
    }
    const off = this.disabled();
    for (const p of r.pads) {
      const want = !off.has(p.pad);
      if (p.enabled !== want) await this.o.unit.setPad(p.pad, want).catch((e: Error) => this.log.warn({ pad: p.pad, err: e.message }, 'cannot set pad'));
      const hot = p.faults.includes('OverTemperature');
      if (hot && !this.faulted.has(p.pad)) {
        this.faulted.add(p.pad);
        this.o.reporter.event({ code: 'pads.overheat', severity: 'alarm', message: `pad ${p.pad} overheated (${p.temperatureC.toFixed(1)} °C); switched off by its firmware`, pad: p.pad, state: 'raised', temperatureC: p.temperatureC });
      } else if (!hot && this.faulted.has(p.pad)) {
        this.faulted.delete(p.pad);
        this.o.reporter.event({ code: 'pads.overheat', severity: 'info', message: `pad ${p.pad} cooled down (${p.temperatureC.toFixed(1)} °C)`, pad: p.pad, state: 'cleared', temperatureC: p.temperatureC });
      }
      const before = prev?.pads.find((x) => x.pad === p.pad);
      if (before?.state === PadState.Charging && p.state !== PadState.Charging) {
        this.o.reporter.telemetry('pads.charge', { pad: p.pad, energyWh: before.energyWh });
      }
    }
    if (!prev || JSON.stringify(this.view(prev)) !== JSON.stringify(this.view(r))) this.emit('change', this.status());
  }

  private view(r: PadsReading): PadSnapshot[] {
    return r.pads.map((p) => ({
      pad: p.pad, enabled: p.enabled, inUse: p.state === PadState.Charging, powerW: Math.round(p.powerW * 10) / 10,
      temperatureC: Math.round(p.temperatureC * 10) / 10, fault: p.faults[0] ?? null,
    }));
  }

  /** pads.set: on/off per pad (1-based), kept across restarts. */
  async set(pad: number, on: boolean): Promise<PadsStatus> {
    if (!Number.isInteger(pad) || pad < 1 || pad > this.o.unit.count) throw padsError('SP_PADS_NO_PAD', { pad, count: this.o.unit.count });
    const off = this.disabled();
    if (on) off.delete(pad); else off.add(pad);
    this.o.kv.set(KV_DISABLED, JSON.stringify([...off].sort()));
    await this.o.unit.setPad(pad, on);
    await this.o.unit.poll('command');
    return this.status();
  }

  status(): PadsStatus {
    const pads = this.last ? this.view(this.last) : [];
    return { online: this.o.unit.online, pads, free: this.o.unit.online ? pads.filter((p) => p.enabled && !p.inUse && !p.fault).length : 0 };
  }
}
