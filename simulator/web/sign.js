// The Onbon notice sign panel (docs/simulator.md §Onbon sign): what the simulated card shows, at its
// real colours (red, green, amber where both are lit), fetched from /api/sign.png with each status
// message; its faults are buttons on the sign's card in the devices panel.
import { $ } from './util.js';

export class SignPanel {
  constructor() {
    this.img = $('sign-img');
    this.busy = false;
  }

  /** m: the sim's status message; the panel hides itself when no sign is fitted. */
  render(m) {
    const dev = m.devices.find((d) => d.name === 'sign');
    $('sign-panel').hidden = !dev;
    if (!dev || this.busy) return;
    const s = dev.state;
    const h = m.health?.sign;
    $('sign-meta').textContent = `BX-${s.model} ${s.width}×${s.height} ${s.colours} · ${s.baudRate} baud · card ${h?.card ?? '–'} · areas ${s.areas.map((a) => `${a.id}:${a.pages}p`).join(' ') || 'none'} · brightness ${s.brightness.level ?? '–'}/15`;
    this.busy = true;
    const next = new Image();
    next.onload = () => { this.img.src = next.src; this.busy = false; };
    next.onerror = () => { this.busy = false; };
    next.src = `/api/sign.png?t=${Date.now()}`;
  }
}
