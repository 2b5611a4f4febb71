/** Builder for the charging page, from the field-status provider or "unavailable". */
import type { ChargingPage, ChargingPortCard, Language, PadCard, Tone } from '../../../display/page-model.js';
import { STARTABLE, type OcppStatus } from '../../../protocols/fieldbus/ocpp-status.js';
import { MAX_PORTS } from '../../../display/pages/charging.js';
import type { ChargingPortOffer, PadStatus } from '../field-view.js';
import type { BuildContext, Fields } from './context.js';
import { loc } from './context.js';

/** OCPP 1.6 connector status → what a driver reads, and its colour. */
const STATUS: Record<OcppStatus, { zh: string; en: string; tone: Tone }> = {
  Available: { zh: '空闲可用', en: 'Available', tone: 'ok' },
  Preparing: { zh: '准备中', en: 'Preparing', tone: 'ok' },
  Charging: { zh: '充电中', en: 'Charging', tone: 'busy' },
  SuspendedEVSE: { zh: '暂停（桩）', en: 'Paused (charger)', tone: 'busy' },
  SuspendedEV: { zh: '暂停（车）', en: 'Paused (vehicle)', tone: 'busy' },
  Finishing: { zh: '即将结束', en: 'Finishing', tone: 'busy' },
  Reserved: { zh: '已预约', en: 'Reserved', tone: 'idle' },
  Unavailable: { zh: '暂停服务', en: 'Out of service', tone: 'idle' },
  Faulted: { zh: '故障', en: 'Fault', tone: 'fault' },
};

function portCard(p: ChargingPortOffer, lang: Language): ChargingPortCard {
  const s = STATUS[p.status];
  const detail = p.status === 'Charging' && p.powerKw !== undefined
    ? `${p.powerKw.toFixed(1)} kW${p.energyKwh !== undefined ? ` · ${p.energyKwh.toFixed(1)} kWh` : ''}`
    : `${p.connector} · ${p.maxKw} kW`;
  return { id: p.id, label: loc(p.label, lang), status: p.status, statusText: lang === 'zh' ? s.zh : s.en, tone: s.tone, detail };
}

function padText(p: PadStatus, i: number, lang: Language): PadCard {
  const n = i + 1;
  if (p.state === 'free') return { label: p.id, tone: 'ok', text: lang === 'zh' ? `${n} 空闲` : `${n} free` };
  if (p.state === 'in-use') return { label: p.id, tone: 'busy', text: lang === 'zh' ? `${n} 使用中` : `${n} in use` };
  if (p.state === 'fault') return { label: p.id, tone: 'fault', text: lang === 'zh' ? `${n} 故障` : `${n} fault` };
  return { label: p.id, tone: 'idle', text: lang === 'zh' ? `${n} 关闭` : `${n} off` };
}

export function buildCharging(c: BuildContext): Fields<ChargingPage> {
  const lang = c.session.lang;
  const safe = <T>(g: () => T): T | null => { try { return g(); } catch { return null; } };
  const ch = c.field ? safe(() => c.field!.charging()) : null;
  const pads = c.field ? safe(() => c.field!.pads()) : null;
  const padViews = pads ? pads.map((p, i) => padText(p, i, lang)) : null;
  if (!ch) return { page: 'charging', ports: null, price: null, selected: null, pads: padViews };
  const ports = ch.ports.slice(0, MAX_PORTS);
  // Selected: the visitor's choice, else the first port that can start a session, else the first.
  const sel = ports.find((p) => p.id === c.session.selectedPort) ?? ports.find((p) => STARTABLE.has(p.status)) ?? ports[0];
  const total = ch.price.energyYuanPerKwh + ch.price.serviceYuanPerKwh;
  const price = lang === 'zh'
    ? `电价 ¥${total.toFixed(2)}/kWh（电费 ${ch.price.energyYuanPerKwh.toFixed(2)} + 服务费 ${ch.price.serviceYuanPerKwh.toFixed(2)}）`
    : `¥${total.toFixed(2)}/kWh (energy ${ch.price.energyYuanPerKwh.toFixed(2)} + service ${ch.price.serviceYuanPerKwh.toFixed(2)})`;
  let selected: ChargingPage['selected'] = null;
  if (sel) {
    const startable = STARTABLE.has(sel.status) && !!sel.startUrl;
    const label = loc(sel.label, lang);
    // A free port without a configured payment page (config charging.startUrl) is started by the
    // operator's app or hotline: say so rather than telling the driver to pick another port.
    const hint = startable
      ? (lang === 'zh' ? `${label}：插枪后用手机扫码，支付后开始充电` : `${label}: plug in, scan with your phone, pay, and charging starts`)
      : STARTABLE.has(sel.status)
        ? (lang === 'zh' ? `${label}空闲：请通过运营方App启动充电` : `${label} is free: start charging from the operator's app`)
        : (lang === 'zh' ? `${label}${STATUS[sel.status].zh}，请选择空闲的充电桩` : `${label} is ${STATUS[sel.status].en.toLowerCase()}; please choose a free port`);
    selected = { id: sel.id, label, qr: startable ? sel.startUrl! : null, hint };
  }
  return { page: 'charging', ports: ports.map((p) => portCard(p, lang)), price, selected, pads: padViews };
}
