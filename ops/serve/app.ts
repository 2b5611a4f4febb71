/**
 * What every area of the console gets (docs/ops-console.md §Areas): the router, the store, users
 * and sessions, the audit log, the live hub, the MQTT link and the signing key (server-side only),
 * and the page helper that wraps a body in the layout.
 */
import type { Logger } from 'pino';
import type { OpsDb, Migration } from './store.js';
import type { Router, RequestContext, Reply } from './router.js';
import type { UserStore } from './auth/users.js';
import type { SessionStore } from './auth/sessions.js';
import type { AuditLog } from './audit.js';
import type { LiveHub } from './live.js';
import type { MqttLink } from './link.js';
import type { SigningKey } from '../keys.js';
import { layout, type Html, type NavItem } from './html.js';

export interface OpsApp {
  readonly router: Router;
  readonly db: OpsDb;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly live: LiveHub;
  readonly link: MqttLink;
  /** The signing key; never sent to a browser, never logged. */
  readonly key: SigningKey;
  readonly prefix: string;
  readonly logger: Logger;
  readonly nav: NavItem[];
  /** Sections other areas add to a pole's page (active notices, recent messages…), in `order`. */
  readonly poleSections: PoleSection[];
  now(): number;
  /** Wraps a page body in the layout. */
  page(c: RequestContext, title: { zh: string; en: string }, body: Html, o?: { feeds?: string[]; scripts?: string[]; status?: number }): Reply;
}

export interface PoleSection {
  order: number;
  /** Live feeds the section's fragments listen to, beside `pole:<id>`. */
  feeds?: (poleId: string) => string[];
  render(c: RequestContext, poleId: string): Html;
}

/** One area of the console: its tables and how it registers routes, nav items and MQTT handlers. */
export interface Area {
  name: string;
  migrations: readonly Migration[];
  register(app: OpsApp): void | { close(): void | Promise<void> };
}

export function pageReply(app: Pick<OpsApp, 'nav'>, c: RequestContext, title: { zh: string; en: string }, body: Html, o: { feeds?: string[]; scripts?: string[]; status?: number } = {}): Reply {
  return {
    status: o.status ?? 200,
    html: layout({ title, body, user: c.user, csrf: c.csrf, nav: app.nav, path: c.url.pathname, feeds: o.feeds ?? [], scripts: o.scripts ?? [] }),
  };
}
