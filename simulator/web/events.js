// The event log: the last few hundred entries — the pole's uplink records as an ops
// client receives them, the viewer's own pushes, injected faults — filterable by kind and text.
import { $, el, fmt } from './util.js';

const MAX = 500;
const KINDS = ['receipt', 'event', 'cmdres', 'state', 'telemetry', 'feedback', 'audit', 'ops', 'fault'];

export class EventLogView {
  constructor() {
    this.entries = [];
    this.lastSeq = 0;
    this.hidden = new Set(['telemetry']);
    this.text = '';
    $('log-kinds').replaceChildren(...KINDS.map((k) => el('label', {}, el('input', {
      type: 'checkbox', value: k, checked: !this.hidden.has(k),
      onchange: (ev) => { if (ev.target.checked) this.hidden.delete(k); else this.hidden.add(k); this.redraw(); },
    }), k)));
    $('log-filter').addEventListener('input', (ev) => { this.text = ev.target.value.trim().toLowerCase(); this.redraw(); });
  }

  /**
   * On (re)connect the sim sends its backlog: entries already shown are skipped by sequence
   * number, unless the sim itself restarted (a new session numbers from 1 again).
   */
  addMany(list, session) {
    if (session !== this.session) { this.session = session; this.entries = []; this.lastSeq = 0; }
    for (const e of list) this.add(e, false);
    this.redraw();
  }

  add(e, draw = true) {
    if (e.seq <= this.lastSeq) return;
    this.lastSeq = e.seq;
    this.entries.push(e);
    if (this.entries.length > MAX) this.entries.shift();
    if (!draw) return;
    const ol = $('log');
    if (this.visible(e)) ol.prepend(this.row(e));
    while (ol.children.length > MAX) ol.lastChild.remove();
  }

  visible(e) {
    return !this.hidden.has(e.kind) && (!this.text || e.summary.toLowerCase().includes(this.text) || JSON.stringify(e.data ?? '').toLowerCase().includes(this.text));
  }

  row(e) {
    return el('li', { class: `log ${e.level} ${e.source}`, 'data-kind': e.kind, title: e.data ? JSON.stringify(e.data, null, 1).slice(0, 2000) : '' },
      el('time', { datetime: e.at }, fmt.time(e.at)), el('span', { class: 'kind' }, e.kind), el('span', { class: 'summary' }, e.summary));
  }

  redraw() {
    $('log').replaceChildren(...this.entries.filter((e) => this.visible(e)).reverse().map((e) => this.row(e)));
  }
}
