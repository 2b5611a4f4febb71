// The live screen: binary updates of changed rectangles from the sim's WebSocket,
// painted into a canvas of the panel's size (480×800 by default; true size; zoom is CSS with nearest-neighbour scaling), and
// press/drag/swipe turned into touch messages that the sim sends as real eGalax packets.
// Message format: simulator/viewer/screen-diff.ts.
import { $, el, fmt } from './util.js';

const SCREEN_UPDATE = 1;

export class LiveScreen {
  constructor(canvas, send) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d', { alpha: false });
    this.send = send;
    this.frameId = null;
    this.updates = 0;
    this.bytes = 0;
    this.lastRects = 0;
    this.window = []; // [time, bytes] of the last 2 s, for fps and throughput
    this.touchSeq = 0;
    this.touchErrors = 0;
    this.lastTouch = null;
    this.initTouch();
  }

  /** Paints one binary update; returns the frame id. */
  apply(buf) {
    const dv = new DataView(buf);
    if (dv.getUint8(0) !== SCREEN_UPDATE) return;
    const n = dv.getUint16(2, true);
    const frameId = dv.getUint32(4, true);
    let o = 8;
    for (let k = 0; k < n; k++) {
      const x = dv.getUint16(o, true), y = dv.getUint16(o + 2, true), w = dv.getUint16(o + 4, true), h = dv.getUint16(o + 6, true);
      o += 8;
      const px = new Uint16Array(buf, o, w * h); // little-endian hosts (every browser platform)
      const img = this.ctx.createImageData(w, h);
      const d = img.data;
      // The same RGB565 → RGB888 expansion as display/frame.ts toRgba (and so /api/screen.png).
      for (let i = 0, j = 0; i < px.length; i++, j += 4) {
        const v = px[i];
        const r = (v >> 11) & 0x1f, g = (v >> 5) & 0x3f, b = v & 0x1f;
        d[j] = (r << 3) | (r >> 2); d[j + 1] = (g << 2) | (g >> 4); d[j + 2] = (b << 3) | (b >> 2); d[j + 3] = 255;
      }
      this.ctx.putImageData(img, x, y);
      o += w * h * 2;
    }
    this.frameId = frameId;
    this.canvas.dataset.frame = String(frameId);
    this.updates++;
    this.canvas.dataset.updates = String(this.updates);
    this.bytes += buf.byteLength;
    this.lastRects = n;
    const now = performance.now();
    this.window.push([now, buf.byteLength]);
    while (this.window.length && this.window[0][0] < now - 2000) this.window.shift();
  }

  rates() {
    const now = performance.now();
    while (this.window.length && this.window[0][0] < now - 2000) this.window.shift();
    const bytes = this.window.reduce((s, [, b]) => s + b, 0);
    return { fps: this.window.length / 2, bps: bytes / 2 };
  }

  /** The panel's resolution, from the sim's hello (`smartpole sim --screen WxH`). */
  resize(width, height) {
    if (!width || !height || (this.canvas.width === width && this.canvas.height === height)) return;
    this.canvas.width = width;
    this.canvas.height = height;
    this.zoom(this.z ?? 1);
  }

  zoom(z) {
    this.z = z;
    this.canvas.style.width = `${this.canvas.width * z}px`;
    this.canvas.style.height = `${this.canvas.height * z}px`;
  }

  point(ev) {
    const r = this.canvas.getBoundingClientRect();
    const x = Math.floor(((ev.clientX - r.left) / r.width) * this.canvas.width);
    const y = Math.floor(((ev.clientY - r.top) / r.height) * this.canvas.height);
    return { x: Math.max(0, Math.min(this.canvas.width - 1, x)), y: Math.max(0, Math.min(this.canvas.height - 1, y)) };
  }

  initTouch() {
    const c = this.canvas;
    let down = false;
    let lastMove = 0;
    const touch = (action, ev) => this.send({ type: 'touch', seq: ++this.touchSeq, action, ...this.point(ev) });
    c.addEventListener('pointerdown', (ev) => { down = true; c.setPointerCapture(ev.pointerId); touch('down', ev); });
    c.addEventListener('pointermove', (ev) => {
      // A real controller reports ~100 points/s; 30 ms apart is plenty for a drag or a swipe.
      if (!down || ev.timeStamp - lastMove < 30) return;
      lastMove = ev.timeStamp;
      touch('move', ev);
    });
    const up = (ev) => { if (!down) return; down = false; touch('up', ev); };
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', up);
    c.addEventListener('contextmenu', (ev) => ev.preventDefault());
  }

  onTouchReply(m) {
    if (m.ok) this.lastTouch = `${m.action} (${m.x}, ${m.y}) raw (${m.raw.x}, ${m.raw.y})`;
    else { this.touchErrors++; this.lastTouch = `${m.error.code}: ${m.error.message}`; }
  }

  /** The stats table under the screen: this view's stream and the LED link's own counters. */
  renderStats(status) {
    const { fps, bps } = this.rates();
    const led = status?.health?.led;
    const link = led?.link ?? {};
    const board = status?.devices?.find((d) => d.name === 'led')?.state ?? {};
    const rows = [
      ['frame', this.frameId ?? '–', 'updates/s', fmt.num(fps, 1)],
      ['stream', `${fmt.bytes(bps)}/s`, 'received', fmt.bytes(this.bytes)],
      ['last update', `${this.lastRects} rect${this.lastRects === 1 ? '' : 's'}`, 'touch', this.lastTouch ?? '–'],
      ['LED link', led ? `${led.state}` : '–', 'frames sent', link.framesSent ?? '–'],
      ['retransmits', link.retransmits ?? '–', 'NAKs / timeouts', `${Object.values(link.naks ?? {}).reduce((a, b) => a + b, 0)} / ${link.timeouts ?? '–'}`],
      ['board bytes', fmt.bytes(board.bytes ?? 0), 'presents', board.presents ?? '–'],
      ['FEC repairs', board.fecCorrected ?? '–', 'rx errors', board.rxErrors ?? '–'],
    ];
    $('screen-stats').replaceChildren(...rows.map((r) => el('tr', {}, el('th', {}, r[0]), el('td', {}, String(r[1])), el('th', {}, r[2]), el('td', {}, String(r[3])))));
  }
}
