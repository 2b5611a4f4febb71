// The ops panel: the sim signs with its development key and publishes over MQTT as
// a city-operations client would (simulator/viewer/ops-bridge.ts → ops/ code); the pole's
// receipt or response comes back here and in the event log.
import { $, el, postJson } from './util.js';

const COMMANDS = ['ping', 'screen.state', 'screen.page', 'screen.brightness', 'screen.snapshot', 'notice.list', 'lamp.status', 'lamp.set', 'lamp.resume',
  'charger.status', 'charger.start', 'charger.stop', 'pads.status', 'pads.set', 'modem.status', 'modem.signal', 'modem.info', 'config.get', 'state.rebirth'];

function localInput(d) {
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export class OpsPanel {
  constructor(poleId) {
    this.poleId = poleId;
    this.pushed = [];
    $('cmd-names').replaceChildren(...COMMANDS.map((c) => el('option', { value: c })));
    const vf = $('notice-form').elements.validFrom;
    if (!vf.value) vf.value = localInput(new Date());
    $('notice-form').addEventListener('submit', (ev) => { ev.preventDefault(); void this.pushNotice(); });
    $('cap-push').addEventListener('click', () => void this.pushCap());
    $('withdraw').addEventListener('click', () => void this.withdraw());
    $('cmd-form').addEventListener('submit', (ev) => { ev.preventDefault(); void this.command(); });
    void this.loadSamples();
  }

  async loadSamples() {
    const samples = await fetch('/api/ops/cap-samples').then((r) => r.json()).catch(() => []);
    $('cap-sample').replaceChildren(...samples.map((s) => el('option', { value: s.file }, `${s.file} — ${s.msgType} ${s.status}: ${s.headline || s.event}`)));
  }

  say(text, level = 'info') {
    const r = $('ops-result');
    r.textContent = text;
    r.className = `result ${level}`;
  }

  async run(what, f) {
    this.say(`${what}…`);
    for (const b of document.querySelectorAll('#ops button')) b.disabled = true;
    try { return await f(); } catch (e) { this.say(`${what}: ${e.code ? `${e.code} ` : ''}${e.message}`, 'error'); return null; } finally {
      for (const b of document.querySelectorAll('#ops button')) b.disabled = false;
    }
  }

  target(to) {
    return to === 'pole' ? `pole:${this.poleId}` : 'all';
  }

  describe(r, verb) {
    const rc = r.receipt;
    const receipt = rc ? `receipt: ${rc.status}${rc.code ? ` ${rc.code}` : ''}${rc.reason ? ` (${rc.reason})` : ''}` : r.waitedMs ? `no receipt within ${r.waitedMs / 1000} s` : '';
    this.say(`${verb} ${r.id} v${r.version} → ${r.topic}. ${receipt}`, rc?.status === 'rejected' ? 'error' : rc ? 'ok' : 'warn');
  }

  remember(id) {
    if (!this.pushed.includes(id)) this.pushed.unshift(id);
    $('pushed-ids').replaceChildren(...this.pushed.map((i) => el('option', { value: i })));
    $('withdraw-id').value = id;
  }

  async pushNotice() {
    const f = $('notice-form').elements;
    const from = f.validFrom.value ? new Date(f.validFrom.value) : new Date();
    const until = new Date(from.getTime() + Number(f.validMin.value || 60) * 60_000);
    const body = {
      priority: f.priority.value,
      title: { zh: f.titleZh.value, ...(f.titleEn.value.trim() ? { en: f.titleEn.value } : {}) },
      body: { zh: f.bodyZh.value, ...(f.bodyEn.value.trim() ? { en: f.bodyEn.value } : {}) },
      durationSec: Number(f.durationSec.value || 10),
      validFrom: from.toISOString(),
      expiresAt: until.toISOString(),
      to: this.target(f.to.value),
    };
    const r = await this.run('pushing notice', () => postJson('/api/ops/notice', body));
    if (r) { this.remember(r.id); this.describe(r, 'pushed'); }
  }

  async pushCap() {
    const sample = $('cap-sample').value;
    const r = await this.run(`pushing CAP ${sample}`, () => postJson('/api/ops/cap', { sample, to: 'all' }));
    if (r) { this.remember(r.id); this.describe(r, 'pushed CAP'); }
  }

  async withdraw() {
    const id = $('withdraw-id').value.trim();
    if (!id) { this.say('withdraw: which notice id?', 'error'); return; }
    const r = await this.run(`withdrawing ${id}`, () => postJson('/api/ops/withdraw', { id, to: 'all' }));
    if (r) this.describe(r, 'withdrew');
  }

  async command() {
    const f = $('cmd-form').elements;
    let args = {};
    if (f.args.value.trim()) {
      try { args = JSON.parse(f.args.value); } catch { this.say('args: not JSON', 'error'); return; }
    }
    const r = await this.run(`command ${f.name.value}`, () => postJson('/api/ops/command', { name: f.name.value.trim(), args, timeoutSec: Number(f.timeout.value || 20) }));
    if (!r) return;
    const res = r.response;
    this.say(`${res.name} ${r.id}: ${res.ok ? 'ok' : `error ${res.error?.code ?? ''}`} in ${r.ms} ms`, res.ok ? 'ok' : 'error');
    const shown = { ...res };
    if (shown.result && typeof shown.result.png === 'string') shown.result = { ...shown.result, png: `(${shown.result.png.length} base64 chars)` };
    $('cmd-response').hidden = false;
    $('cmd-response').textContent = JSON.stringify(shown, null, 2);
  }
}
