// Small helpers shared by the viewer's modules (no framework, no build step).
export const $ = (id) => document.getElementById(id);

/** Builds an element: el('div', {class: 'x', onclick: f}, child, 'text', …). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** POST JSON; resolves to the reply, or throws an Error carrying the API's `code`. */
export async function postJson(path, body) {
  const r = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) {
    const e = new Error(j.error?.message ?? `HTTP ${r.status}`);
    e.code = j.error?.code;
    throw e;
  }
  return j;
}

export const fmt = {
  num: (v, d = 0) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–'),
  bytes: (n) => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`),
  time: (iso) => { const d = new Date(iso); return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour12: false }); },
};
