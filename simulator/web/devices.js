// The devices panel: one card per simulated device with the figures a technician
// looks at first, the runtime's view of it (GET /api/health) and a button per fault it can inject
// (POST /api/faults). Everything comes from the sim's `status` message once a second.
import { el, fmt, postJson } from './util.js';

const ORDER = ['led', 'sign', 'touch', 'modem', 'broker', 'fieldbus', 'ev', 'meter', 'pads', 'lamp', 'console'];
const TITLES = { led: 'LED board', sign: 'Notice sign', touch: 'Touch panel', modem: '5G modem', broker: 'MQTT', fieldbus: 'Field bus', ev: 'EV charging', meter: 'Energy meter', pads: 'Phone pads', lamp: 'Lamp', console: 'Console' };
const HEALTH = { led: 'led', sign: 'sign', touch: 'touch', modem: 'modem', broker: 'mqtt', fieldbus: 'fieldbus', ev: 'charger', meter: 'charger', pads: 'pads', lamp: 'lamp', console: 'console' };

/** Arguments a fault button sends when the card's args field is empty (docs/simulator.md lists them all). */
const PRESET_ARGS = {
  'led/stall': { ms: 3000 }, 'led/corrupt': { rate: 0.01 }, 'led/drop': { rate: 0.05 }, 'led/fail-module': { module: 4, failed: true },
  'led/lux': { lux: 20000 }, 'led/temperature': { c: 80 },
  'sign/silent': { ms: 3000 }, 'sign/corrupt': { rate: 0.001 }, 'sign/corrupt-frames': { rate: 0.01 }, 'sign/nack': { error: 3, count: 2 },
  'touch/garbage': { bytes: 32 }, 'led/garbage': { bytes: 64 }, 'fieldbus/garbage': { bytes: 32 },
  'modem/garbage': { bytes: 64 }, 'modem/slow': { ms: 1500 }, 'modem/rat': { rat: 'LTE' }, 'modem/pin-required': { pin: '1234' },
  'ev/plug': { socPct: 30 }, 'ev/relay-stuck': { on: true }, 'ev/error': { bits: 1 },
  'meter/silent': { on: true }, 'meter/crc': { count: 5 }, 'meter/exception': { code: 4, count: 5 },
  'ev/silent': { on: true }, 'pads/silent': { on: true }, 'lamp/silent': { on: true },
  'pads/phone-on': { pad: 1, socPct: 40 }, 'pads/overheat': { pad: 1, temperatureC: 70 }, 'pads/foreign-object': { pad: 1, on: true },
  'lamp/cycling': { periodSec: 20 }, 'lamp/supply-loss': { sec: 5 }, 'lamp/storm': { factor: 0.05 }, 'lamp/lux': { value: 5 },
};

const yes = (b) => (b ? 'yes' : 'no');

/** The key figures of each device: [label, value] rows from its sim state `s` and the runtime's health `h`. */
function figures(name, s, h) {
  switch (name) {
    case 'led': return [
      ['state', h?.state], ['brightness', h?.brightness ? `${h.brightness.percent}% (${h.brightness.source})` : `${s.brightness}%`],
      ['temperature', `${fmt.num(s.temperatureC, 1)} °C`], ['failed modules', s.failedModules?.length ? s.failedModules.join(', ') : 'none'],
      ['frames', s.frames], ['retransmits', h?.link?.retransmits], ['stalled', yes(s.faults?.stalled)], ['noise sent', fmt.bytes(s.garbageBytes ?? 0)],
    ];
    case 'sign': return [
      ['card', h?.card ?? (s.open ? 'open' : 'closed')], ['areas', s.areas?.map((a) => `${a.id}: ${a.w}×${a.h} ${a.pages}p`).join(', ') || 'none'],
      ['pending', h?.pending?.length ? h.pending.join(', ') : 'none'], ['brightness', `${s.brightness?.level ?? '–'}/15`],
      ['ACK / NACK', `${s.stats?.acks} / ${s.stats?.nacks}`], ['bad frames', s.stats?.badFrames], ['resets', s.stats?.resets],
    ];
    case 'touch': return [['state', h?.state], ['plugged', yes(s.open)], ['packets sent', s.packets], ['taps', s.taps], ['garbage bytes', s.garbageBytes]];
    case 'modem': return [
      ['state', h?.state ?? s.network], ['operator', h?.operator], ['technology', h?.act ?? s.radio?.rat],
      ['RSRP / SINR', h?.rsrp !== undefined ? `${h.rsrp} dBm / ${h.sinr} dB` : `${s.radio?.rsrp} dBm / ${s.radio?.sinr} dB`],
      ['SIM', s.sim ? (!s.sim.inserted ? 'no SIM' : s.sim.lock === 'none' ? 'ready' : s.sim.lock) : '–'], ['data path', yes(s.dataPath)],
      // The host data path (docs/protocols/modem.md §Host data path): interface, lease, route.
      ['host link', h?.host?.line ?? (s.hostLease ? `${['rmnet', 'ecm', 'mbim', 'rndis'][s.usbnet] ?? s.usbnet} · leased ${s.hostLease}` : 'module IP stack (relay)')],
      ['route', h?.host ? (h.host.route ?? h.host.problem ?? '–') : '–'],
      ['recoveries', h?.recoveries ? `${h.recoveries.recovered}/${h.recoveries.incidents}` : '–'], ['hung', yes(s.faults?.hang)],
    ];
    case 'broker': return [['broker', s.running ? 'running' : 'stopped'], ['pole MQTT', h?.state], ['outbox depth', h?.outboxDepth], ['outbox bytes', h?.outboxBytes !== undefined ? fmt.bytes(h.outboxBytes) : '–'], ['outages', s.outages]];
    case 'fieldbus': return [['open', yes(s.open)], ['requests', s.requests], ['CRC errors', s.crcErrors], ['wire use', `${fmt.num((s.utilisation?.wire ?? 0) * 100)}%`], ['noise sent', fmt.bytes(s.garbageBytes ?? 0)], ['units', h?.units?.map((u) => `${u.name} ${u.state}`).join(', ')]];
    case 'ev': {
      const c = h?.connectors?.[0];
      return [['connector', c ? `${c.status}${c.errorCode !== 'NoError' ? ` ${c.errorCode}` : ''}` : '–'], ['car plugged', yes(s.ev?.plugged)], ['state of charge', `${fmt.num(s.ev?.socPct)}%`], ['current', `${fmt.num(s.ev?.currentA, 1)} A`], ['session', c?.session ? `${c.session.transactionId ?? ''} ${fmt.num((c.session.energyWh ?? 0) / 1000, 2)} kWh` : 'none'], ['cycles', s.cycles]];
    }
    case 'meter': return [['energy', `${fmt.num(s.importKwh, 3)} kWh`], ['power', `${fmt.num(s.powerW)} W`], ['runtime reads', h?.meter ? `${h.meter.importWh} Wh` : '–'], ['resets', s.resets]];
    case 'pads': return (h?.pads ?? s.pads ?? []).map((p) => [`pad ${p.pad}`, `${p.inUse ?? p.phone ? 'in use' : 'free'} · ${fmt.num(p.powerW, 1)} W · ${fmt.num(p.temperatureC, 1)} °C${p.fault ? ` · ${p.fault}` : p.overheated ? ' · overheated' : ''}`]);
    case 'lamp': return [['level', h ? `${h.level}% (actual ${h.actualLevel}%)` : `${s.target}%`], ['reason', h?.reason ? `${h.reason}${h.rule ? ` · ${h.rule}` : ''}` : '–'], ['power', `${fmt.num(h?.powerW ?? s.powerW)} W`], ['alarms', h?.alarms?.length ? h.alarms.map((a) => a.alarm ?? a).join(', ') : 'none'], ['lux', fmt.num(s.lux)]];
    case 'console': return [['session', h?.session ?? s.session], ['state', h?.state ?? s.state], ['connect', s.connect]];
    default: return Object.entries(s).slice(0, 6).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : v]);
  }
}

function level(name, dev, h) {
  if (name === 'broker') return dev.state.running ? (h?.state === 'connected' ? 'ok' : 'warn') : 'error';
  if (dev.plugged === false) return 'error';
  const st = h?.status;
  return st === 'ok' ? 'ok' : st === 'degraded' || st === 'warning' ? 'warn' : st ? 'error' : 'none';
}

export class DevicesPanel {
  constructor(root) {
    this.root = root;
    this.cards = new Map();
  }

  render(status) {
    const health = status.health ?? {};
    const devs = [...status.devices].sort((a, b) => (ORDER.indexOf(a.name) + 99) % 99 - (ORDER.indexOf(b.name) + 99) % 99);
    for (const dev of devs) {
      let card = this.cards.get(dev.name);
      if (!card) { card = this.makeCard(dev); this.cards.set(dev.name, card); this.root.append(card.root); }
      const h = health[HEALTH[dev.name]];
      const lv = level(dev.name, dev, h);
      card.root.dataset.level = lv;
      card.dot.className = `dot ${lv}`;
      card.dot.title = h?.status ?? '';
      card.line.textContent = h?.line ?? h?.detail ?? (dev.plugged === false ? 'unplugged' : '');
      card.table.replaceChildren(...figures(dev.name, dev.state, h).map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', {}, v === undefined || v === null ? '–' : String(v)))));
      if (card.raw.open) card.rawPre.textContent = JSON.stringify({ sim: dev.state, runtime: h ?? null }, null, 2);
    }
  }

  makeCard(dev) {
    const dot = el('span', { class: 'dot' });
    const line = el('div', { class: 'line' });
    const table = el('table', { class: 'kv' });
    const args = el('input', { class: 'args', placeholder: 'args JSON (optional)', 'aria-label': `${dev.name} fault arguments` });
    const result = el('div', { class: 'result', role: 'status' });
    const buttons = Object.entries(dev.faults).map(([fault, describe]) => {
      const preset = PRESET_ARGS[`${dev.name}/${fault}`];
      return el('button', {
        class: 'fault', 'data-device': dev.name, 'data-fault': fault,
        title: `${describe}${preset ? `\nargs: ${JSON.stringify(preset)}` : ''}`,
        onclick: async (ev) => {
          let a = preset ?? {};
          if (args.value.trim()) {
            try { a = JSON.parse(args.value); } catch { result.textContent = 'args: not JSON'; result.className = 'result error'; return; }
          }
          ev.target.disabled = true;
          result.textContent = `${fault}…`;
          result.className = 'result';
          try {
            await postJson('/api/faults', { device: dev.name, fault, args: a });
            result.textContent = `${fault}: done`;
          } catch (e) {
            result.textContent = `${fault}: ${e.code ?? ''} ${e.message}`;
            result.className = 'result error';
          } finally { ev.target.disabled = false; }
        },
      }, fault);
    });
    const rawPre = el('pre');
    const raw = el('details', { class: 'raw' }, el('summary', {}, 'all values'), rawPre);
    const root = el('article', { class: 'device', id: `dev-${dev.name}`, 'data-device': dev.name },
      el('h3', {}, dot, TITLES[dev.name] ?? dev.name, el('small', { title: dev.path ?? '' }, dev.kind)),
      line, table, el('div', { class: 'faults' }, buttons), el('div', { class: 'row' }, args), result, raw);
    return { root, dot, line, table, raw, rawPre };
  }
}
