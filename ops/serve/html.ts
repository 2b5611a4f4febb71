/**
 * HTML on the server: a tagged template that escapes every interpolated value unless it is `raw`
 * (or another `html` result), the bilingual label helper and the page layout (docs/ops-console.md
 * §Pages). Chinese first, English after it, both in the page (the console is used by mixed teams).
 */
import type { User } from './auth/users.js';
import { ROLE_NAMES, hasRole, type Role } from './auth/users.js';

export class Html {
  constructor(readonly s: string) {}
  toString(): string { return this.s; }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export function esc(v: unknown): string {
  return String(v ?? '').replace(/[&<>"']/g, (c) => ESC[c]!);
}

export function raw(s: string): Html {
  return new Html(s);
}

function part(v: unknown): string {
  if (v instanceof Html) return v.s;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** A label in both languages: `<span lang="zh-CN">中文</span> <span lang="en" class="en">English</span>`. */
export function bi(zh: string, en: string): Html {
  return html`<span lang="zh-CN">${zh}</span> <span lang="en" class="en">${en}</span>`;
}

/** Plain text in both languages, for attributes (title, aria-label) and <title>. */
export function biText(zh: string, en: string): string {
  return `${zh} · ${en}`;
}

export interface NavItem {
  href: string;
  zh: string;
  en: string;
  /** Lower comes first. */
  order: number;
  /** Least role that sees the item; default editor. */
  role?: Role;
}

export interface LayoutInput {
  title: { zh: string; en: string };
  body: Html;
  user: User | null;
  csrf: string;
  nav: readonly NavItem[];
  /** The path of the current page (highlights its nav item). */
  path: string;
  /** Live feeds this page listens to (docs/ops-console.md §Live feeds). */
  feeds?: readonly string[];
  /** Extra scripts under /static/ for this page. */
  scripts?: readonly string[];
}

export function layout(p: LayoutInput): string {
  const nav = p.user
    ? p.nav.filter((n) => hasRole(p.user!, n.role ?? 'editor')).sort((a, b) => a.order - b.order).map((n) => {
      const current = p.path === n.href || (n.href !== '/' && p.path.startsWith(`${n.href}/`));
      return html`<li><a href="${n.href}"${current ? raw(' aria-current="page"') : ''}>${bi(n.zh, n.en)}</a></li>`;
    })
    : [];
  const who = p.user
    ? html`<div class="who"><a href="/account" title="我的账户 My account">${p.user.displayName} (${ROLE_NAMES[p.user.role].zh} <span lang="en">${ROLE_NAMES[p.user.role].en}</span>)</a>
        <form method="post" action="/logout">${csrfField(p.csrf)}<button type="submit" class="link">${bi('退出', 'Log out')}</button></form></div>`
    : '';
  const scripts = ['live.js', ...(p.scripts ?? [])].map((s) => html`<script src="/static/${s}" defer></script>`);
  return '<!doctype html>\n' + html`<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${p.csrf}">
<title>${p.title.zh} · ${p.title.en} — 智慧灯杆运营 Smartpole operations</title>
<link rel="stylesheet" href="/static/ops.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${scripts}
</head>
<body data-feeds="${(p.feeds ?? []).join(',')}">
<a class="skip" href="#main">${bi('跳到正文', 'Skip to content')}</a>
<header class="top">
  <a class="brand" href="/">${bi('智慧灯杆运营', 'Smartpole operations')}</a>
  ${nav.length ? html`<nav aria-label="主菜单 Main"><ul>${nav}</ul></nav>` : ''}
  ${who}
</header>
<main id="main" tabindex="-1">
<h1>${bi(p.title.zh, p.title.en)}</h1>
${p.body}
</main>
<footer><span class="live-state" role="status" aria-live="polite" data-live-state></span></footer>
</body>
</html>
`.s;
}

export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A message box (role=alert for errors so screen readers announce it). */
export function notice(kind: 'error' | 'ok' | 'info', body: Html | string): Html {
  return html`<div class="msg msg-${kind}" ${kind === 'error' ? raw('role="alert"') : raw('role="status"')}>${body}</div>`;
}

/** "3 min ago" in both languages. */
export function ago(iso: string | null | undefined, now = Date.now()): Html {
  if (!iso) return bi('从未', 'never');
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return html`-`;
  const s = Math.max(0, Math.round((now - t) / 1000));
  const [zh, en] = s < 60 ? [`${s} 秒前`, `${s} s ago`] : s < 3600 ? [`${Math.round(s / 60)} 分钟前`, `${Math.round(s / 60)} min ago`]
    : s < 86400 ? [`${Math.round(s / 3600)} 小时前`, `${Math.round(s / 3600)} h ago`] : [`${Math.round(s / 86400)} 天前`, `${Math.round(s / 86400)} d ago`];
  return html`<time datetime="${iso}">${bi(zh, en)}</time>`;
}

/** An ISO time as the city reads it: `2026-12-08 06:49` in the console's zone (UTC+08:00, China Standard Time). */
export function cityTime(iso: string | null | undefined, seconds = false): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return '-';
  return new Date(t + 8 * 3600_000).toISOString().slice(0, seconds ? 19 : 16).replace('T', ' ');
}
