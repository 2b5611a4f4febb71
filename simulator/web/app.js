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

// Touch: press, drag and release on the screen image become real eGalax packets on the simulated
// panel's PTY (POST /api/touch), so the whole UI can be used with a mouse or a finger.
(function touchOnScreen() {
  const img = $('screen');
  let down = false;
  let lastMove = 0;
  const point = (ev) => {
    const r = img.getBoundingClientRect();
    const bw = (img.offsetWidth - img.clientWidth) / 2; // the border
    const x = Math.round(((ev.clientX - r.left - bw) / img.clientWidth) * 480);
    const y = Math.round(((ev.clientY - r.top - bw) / img.clientHeight) * 800);
    return { x: Math.max(0, Math.min(479, x)), y: Math.max(0, Math.min(799, y)) };
  };
  let queue = Promise.resolve();
  // One request at a time, in order: a move must never overtake its down.
  const send = (action, ev) => {
    const body = JSON.stringify({ ...point(ev), action });
    queue = queue.then(() => fetch('/api/touch', { method: 'POST', headers: { 'content-type': 'application/json' }, body })).catch(() => {});
  };
  img.addEventListener('dragstart', (ev) => ev.preventDefault());
  img.addEventListener('pointerdown', (ev) => { down = true; img.setPointerCapture(ev.pointerId); send('down', ev); });
  img.addEventListener('pointermove', (ev) => {
    if (!down || Date.now() - lastMove < 30) return;
    lastMove = Date.now();
    send('move', ev);
  });
  const up = (ev) => { if (!down) return; down = false; send('up', ev); };
  img.addEventListener('pointerup', up);
  img.addEventListener('pointercancel', up);
})();
