// The simulator's web viewer (docs/simulator.md §Web viewer). One WebSocket to the sim
// carries the live screen (binary), status once a second, log entries and touch replies.
import { $ } from './util.js';
import { LiveScreen } from './screen.js';
import { DevicesPanel } from './devices.js';
import { OpsPanel } from './ops.js';
import { EventLogView } from './events.js';
import { SignPanel } from './sign.js';

let ws = null;
const send = (m) => { if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(m)); };
const screen = new LiveScreen($('screen'), send);
const devices = new DevicesPanel($('devices'));
const log = new EventLogView();
const sign = new SignPanel();
let ops = null;
let lastStatus = null;

for (const b of document.querySelectorAll('[data-zoom]')) {
  b.addEventListener('click', () => {
    for (const o of document.querySelectorAll('[data-zoom]')) o.classList.toggle('on', o === b);
    screen.zoom(Number(b.dataset.zoom));
  });
}

function onStatus(m) {
  lastStatus = m;
  devices.render(m);
  sign.render(m);
  screen.renderStats(m);
  $('pagename').textContent = m.page ? `page: ${m.page}` : m.health ? '' : 'runtime runs separately (--hardware-only)';
  const broker = m.devices.find((d) => d.name === 'broker');
  const mqtt = m.health?.mqtt;
  $('broker-badge').textContent = `broker ${broker ? (broker.state.running ? 'running' : 'stopped') : 'external'} · pole MQTT ${mqtt?.state ?? '–'}`;
  $('broker-badge').className = `badge ${mqtt?.state === 'connected' ? 'ok' : 'warn'}`;
}

function connect() {
  ws = new WebSocket(`ws://${location.host}/api/ws`);
  ws.binaryType = 'arraybuffer';
  ws.onopen = () => { $('conn').textContent = 'live'; $('conn').className = 'badge ok'; };
  ws.onclose = () => {
    $('conn').textContent = 'disconnected — retrying';
    $('conn').className = 'badge error';
    setTimeout(connect, 1000);
  };
  ws.onmessage = (ev) => {
    if (ev.data instanceof ArrayBuffer) { screen.apply(ev.data); return; }
    const m = JSON.parse(ev.data);
    switch (m.type) {
      case 'hello':
        $('pole').textContent = m.poleId;
        screen.resize(m.width, m.height);
        document.title = `smartpole sim ${m.poleId}`;
        ops ??= new OpsPanel(m.poleId);
        log.addMany(m.log, m.session);
        break;
      case 'status': onStatus(m); break;
      case 'log': log.add(m.entry); break;
      case 'touch': screen.onTouchReply(m); break;
      default: break;
    }
  };
}

connect();
// fps and throughput move between status messages too.
setInterval(() => { if (lastStatus) screen.renderStats(lastStatus); }, 500);
