/**
 * The field-bus services as the public screen sees them (runtime/screen/field-view.ts):
 * plain data, null while a service is absent or its unit does not answer, and one change
 * subscription so the charging page and the attract loop redraw as soon as a car plugs in.
 */
import type { FieldServices } from './field/module.js';
import type { ChargingOffer, FieldStatusProvider, LampStatus, PadStatus } from './screen/field-view.js';

export interface FieldScreenOptions {
  poleId: string;
  /** config.charging.startUrl: `{pole}`, `{connector}` and `{plugIn}` (empty when no car is plugged in) are filled in. */
  startUrl?: string;
  /** Offered current (config.charging.maxCurrentA); the page shows kW at 230 V single phase. */
  maxCurrentA: number;
}

export function fieldScreenStatus(f: Pick<FieldServices, 'charging' | 'pads' | 'lamp'>, o: FieldScreenOptions): FieldStatusProvider {
  return {
    charging(): ChargingOffer | null {
      if (!f.charging) return null;
      const s = f.charging.snapshot();
      // A controller that never answered has no status worth showing: "unavailable", not a guess.
      if (s.connectors.every((c) => c.iec === null)) return null;
      return {
        ports: s.connectors.map((c) => ({
          id: String(c.id),
          label: { zh: `${c.id}号桩`, en: `Port ${c.id}` },
          connector: 'GB/T AC',
          status: c.status,
          maxKw: Math.round(o.maxCurrentA * 230 / 100) / 10,
          ...(c.session ? {
            ...(c.session.powerW !== null ? { powerKw: Math.round(c.session.powerW / 100) / 10 } : {}),
            energyKwh: Math.round(c.session.energyWh / 100) / 10,
          } : {}),
          ...(o.startUrl ? { startUrl: o.startUrl.replaceAll('{pole}', encodeURIComponent(o.poleId)).replaceAll('{connector}', String(c.id)).replaceAll('{plugIn}', c.plugIn === null ? '' : String(c.plugIn)) } : {}),
        })),
        price: { energyYuanPerKwh: s.tariff.energyPerKwh, serviceYuanPerKwh: s.tariff.servicePerKwh },
      };
    },
    pads(): PadStatus[] | null {
      if (!f.pads) return null;
      const s = f.pads.status();
      if (!s.online) return null;
      return s.pads.map((p) => ({
        id: String(p.pad),
        state: p.fault ? 'fault' : !p.enabled ? 'off' : p.inUse ? 'in-use' : 'free',
        ...(p.inUse ? { powerW: Math.round(p.powerW) } : {}),
      }));
    },
    lamp(): LampStatus | null {
      if (!f.lamp) return null;
      const s = f.lamp.status();
      const level = s.actualLevel ?? s.level;
      if (!s.online || level === null) return null;
      return { on: level > 0, levelPct: Math.round(level) };
    },
    subscribe(onChange: () => void): () => void {
      const emitters = [f.charging, f.pads, f.lamp].filter((e) => e !== null);
      for (const e of emitters) e.on('change', onChange);
      return () => { for (const e of emitters) e.off('change', onChange); };
    },
  };
}
