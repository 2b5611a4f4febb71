/**
 * `charger status`, `pads status` and `lamp status` for a technician (docs/console.md §Output
 * conventions: aligned, units on every number, times in local time with zone): the field-bus services'
 * plain-data snapshots (runtime/charging/charging-status.ts, runtime/pads/pads-service.ts,
 * runtime/lamp/lamp-service.ts) rendered by hand, because a generic renderer cannot know that
 * `pricePerKwh` is money.
 */
import { statusStyle, type Painter } from '../../../protocols/console/ansi.js';
import { formatFields, formatTable } from '../../../protocols/console/table.js';
import { formatDuration, formatLocalTime, formatNumber } from '../../../protocols/console/units.js';
import type { ChargingStatus } from '../../charging/charging-status.js';
import type { PadsStatus } from '../../pads/pads-service.js';
import type { LampStatusSnapshot } from '../../lamp/lamp-service.js';

type Field = [label: string, value: string, style?: ReturnType<typeof statusStyle>];

const dash = '—';
const money = (v: number, currency: string) => (currency === 'CNY' ? `¥${v.toFixed(2)}` : `${v.toFixed(2)} ${currency}`);
const kwh = (wh: number) => formatNumber(wh / 1000, 'kWh', 2);
const local = (iso: string | null, tz: string) => (iso ? formatLocalTime(Date.parse(iso), tz) : dash);

export function renderChargerStatus(s: ChargingStatus, tz: string, paint: Painter): string[] {
  const rows = s.connectors.map((c) => [
    String(c.id), c.status, c.iec ?? 'no answer', c.plugged === null ? dash : c.plugged ? 'yes' : 'no',
    c.operative ? 'yes' : 'no', c.faults.length ? c.faults.join(', ') : c.errorCode === 'NoError' ? 'none' : c.errorCode,
  ]);
  const out = formatTable(
    [{ title: 'CONNECTOR' }, { title: 'STATUS (OCPP)', style: statusStyle }, { title: 'IEC 61851' }, { title: 'PLUGGED' }, { title: 'OPERATIVE' }, { title: 'FAULTS', wrap: true }],
    rows, { paint },
  );
  const f: Field[] = [];
  for (const c of s.connectors) {
    if (c.session) {
      const x = c.session;
      f.push(['Session', `connector ${c.id} · ${x.transactionId} · ${x.state} · ${x.source}`]);
      f.push(['Started', `${local(x.startedAt, tz)} (${formatDuration(x.durationSec * 1000)} ago)`]);
      f.push(['Energy', `${kwh(x.energyWh)} · ${x.powerW === null ? dash : formatNumber(x.powerW, 'W')} · cost ${money(x.cost, s.tariff.currency)}`]);
      if (x.limitWh !== null || x.paymentAmount !== null) {
        f.push(['Limit', `${x.limitWh === null ? 'no energy limit' : kwh(x.limitWh)}${x.paymentAmount === null ? '' : ` · prepaid ${money(x.paymentAmount, s.tariff.currency)}`}`]);
      }
    } else if (c.authorizedUntil) {
      f.push(['Authorized', `connector ${c.id}: waiting for a car until ${local(c.authorizedUntil, tz)}`]);
    }
  }
  const t = s.tariff;
  out.push('', ...formatFields([
    ...f,
    ['Tariff', `${money(t.pricePerKwh, t.currency)}/kWh (energy ${t.energyPerKwh.toFixed(2)} + service ${t.servicePerKwh.toFixed(2)})`],
    ['Meter', s.meter ? `${kwh(s.meter.importWh)} imported · ${formatNumber(s.meter.powerW, 'W')} · ${formatNumber(s.meter.voltageV, 'V', 1)}` : 'no answer'],
    ['A new driver', s.available ? 'can charge now' : 'cannot start now', s.available ? 'green' : 'yellow'],
  ], { paint }));
  return out;
}

export function renderPadsStatus(s: PadsStatus, paint: Painter): string[] {
  if (!s.online) return formatFields([['Pad board', 'does not answer on the field bus', 'red']], { paint });
  const rows = s.pads.map((p) => [
    String(p.pad), p.enabled ? 'on' : 'off', p.inUse ? 'yes' : 'no', formatNumber(p.powerW, 'W', 1), formatNumber(p.temperatureC, '°C', 1), p.fault ?? 'none',
  ]);
  return [
    ...formatTable([{ title: 'PAD' }, { title: 'SWITCH' }, { title: 'IN USE' }, { title: 'POWER', align: 'right' }, { title: 'TEMP', align: 'right' }, { title: 'FAULT', style: (c) => (c === 'none' ? 'green' : 'red') }], rows, { paint }),
    '', `${s.free} of ${s.pads.length} free for a passer-by.`,
  ];
}

export function renderLampStatus(s: LampStatusSnapshot, tz: string, paint: Painter): string[] {
  if (!s.online) return formatFields([['Lamp driver', 'does not answer on the field bus (the driver falls back to its fail-safe level)', 'red']], { paint });
  const pct = (v: number | null) => (v === null ? dash : formatNumber(v, '%'));
  const why = s.reason === 'program'
    ? `program "${s.program ?? dash}"${s.rule ? `, rule "${s.rule}"` : ''}${s.point ? `, since ${s.point}` : ''}`
    : s.reason ?? dash;
  const f: Field[] = [
    ['Level', `${pct(s.level)} commanded · ${pct(s.actualLevel)} actual`],
    ['Because', why],
    ['Next change', local(s.nextChangeAt, tz)],
  ];
  if (s.override) f.push(['Override', `${pct(s.override.level)} until ${s.override.until ? local(s.override.until, tz) : 'lamp resume'} (set ${local(s.override.setAt, tz)}${s.override.principal ? ` by ${s.override.principal}` : ''})`, 'yellow']);
  f.push(
    ['Photocell', `${s.photocell.state}${s.photocell.lux === null ? '' : ` · ${formatNumber(s.photocell.lux, 'lx')}`}`],
    ['Power', `${s.powerW === null ? dash : formatNumber(s.powerW, 'W', 1)} · supply ${s.supplyV === null ? dash : formatNumber(s.supplyV, 'V', 1)}`],
    ['Counters', `${s.energyWh === null ? dash : kwh(s.energyWh)} · ${s.operatingHours === null ? dash : formatNumber(s.operatingHours, 'h')} burning · ${s.starts === null ? dash : `${s.starts} starts`}`],
  );
  const out = formatFields(f, { paint });
  if (!s.alarms.length) return [...out, formatFields([['Alarms', 'none', 'green']], { paint })[0]!];
  return [...out, '', ...formatTable([{ title: 'ALARM', style: () => 'red' }, { title: 'SINCE' }, { title: 'DETAIL', wrap: true }], s.alarms.map((a) => [a.alarm, local(a.since, tz), a.detail]), { paint })];
}
