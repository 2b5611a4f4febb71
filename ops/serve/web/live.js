// Live feeds (docs/ops-console.md §Live feeds): one EventSource per page for the feeds in
// <body data-feeds>. On "changed" for a feed, every element with data-live="<feed>" and
// data-src="<url>" is fetched again and its content replaced (at most once per second per element),
// and so is every bound element when the stream opens, to catch up what happened while it was closed.
// Without EventSource (or while it is down) the same elements are polled every 10 s.
(() => {
  'use strict';
  const feeds = (document.body.dataset.feeds || '').split(',').filter(Boolean);
  const state = document.querySelector('[data-live-state]');
  const say = (t) => { if (state) state.textContent = t; };
  const busy = new Map();
  async function refresh(el) {
    if (busy.get(el)) { busy.set(el, 'again'); return; }
    busy.set(el, true);
    try {
      const r = await fetch(el.dataset.src, { headers: { accept: 'text/html' }, credentials: 'same-origin' });
      if (r.status === 401) { location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search); return; }
      if (r.ok) {
        const html = await r.text();
        if (el.innerHTML !== html) {
          const focused = document.activeElement && el.contains(document.activeElement) ? document.activeElement.id : null;
          el.innerHTML = html;
          if (focused) document.getElementById(focused)?.focus();
          el.dispatchEvent(new CustomEvent('live:updated', { bubbles: true }));
        }
      }
    } catch { /* next event or poll */ }
    await new Promise((r) => setTimeout(r, 1000));
    const again = busy.get(el) === 'again';
    busy.delete(el);
    if (again) refresh(el);
  }
  const elementsOf = (feed) => [...document.querySelectorAll('[data-live]')].filter((el) => el.dataset.live.split(' ').includes(feed));
  window.opsLive = { refresh: (feed) => elementsOf(feed).forEach(refresh) };
  if (!feeds.length) return;
  let poll = null;
  const startPoll = () => { poll ??= setInterval(() => feeds.forEach((f) => elementsOf(f).forEach(refresh)), 10_000); };
  if (!('EventSource' in window)) { startPoll(); return; }
  const es = new EventSource('/live?feeds=' + encodeURIComponent(feeds.join(',')));
  // On every open (the first and each reconnect) fetch once: a change between rendering the page (or
  // losing the stream) and the stream opening sent its event to no one.
  es.addEventListener('open', () => {
    say('● 实时 live');
    if (poll) { clearInterval(poll); poll = null; }
    feeds.forEach((f) => elementsOf(f).forEach(refresh));
  });
  es.addEventListener('error', () => { say('○ 重连中 reconnecting'); startPoll(); });
  es.addEventListener('changed', (e) => elementsOf(e.data).forEach(refresh));
})();
