// Minimal live viewer: reload the board's framebuffer when it presents a frame.
const $ = (id) => document.getElementById(id);
let pending = false;
function refreshScreen() {
  if (pending) return;
  pending = true;
  const img = new Image();
  img.onload = img.onerror = () => { $('screen').src = img.src; pending = false; };
  img.src = '/api/screen.png?t=' + Date.now();
}
async function refreshInfo() {
  const [sim, devices] = await Promise.all([fetch('/api/sim').then((r) => r.json()), fetch('/api/devices').then((r) => r.json())]);
  $('pole').textContent = sim.poleId;
  $('sim').textContent = JSON.stringify(sim, null, 2);
  $('devices').textContent = JSON.stringify(devices, null, 2);
}
function connect() {
  const ws = new WebSocket(`ws://${location.host}/api/ws`);
  ws.onopen = () => { $('conn').textContent = 'live'; $('conn').className = 'badge ok'; refreshScreen(); };
  ws.onclose = () => { $('conn').textContent = 'disconnected'; $('conn').className = 'badge'; setTimeout(connect, 1000); };
  ws.onmessage = (ev) => {
    const m = JSON.parse(ev.data);
    if (m.type === 'presented') { $('frameinfo').textContent = `frame ${m.frameId}`; refreshScreen(); }
  };
}
connect();
refreshInfo();
setInterval(refreshInfo, 3000);
