/**
 * `notices list | show <id>` (docs/console.md §Commands): what city operations sent and what the
 * screen shows.
 */
import { noticeOnScreen } from '../../../display/page-model.js';
import { formatFields, formatTable } from '../../../protocols/console/table.js';
import { formatLocalTime } from '../../../protocols/console/units.js';
import { isoInZone } from '../../../protocols/time.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import { noticeStates, type NoticeState } from '../../notices/notice-state.js';
import type { ConsoleEnv } from '../env.js';
import { consoleError } from '../errors.js';
import type { ConsoleModule } from './module.js';

function view(e: ConsoleEnv, n: StoredNotice, state: NoticeState) {
  const t = (ms: number | null) => (ms === null ? null : isoInZone(ms, e.timeZone));
  return {
    id: n.id, issuer: n.issuer, version: n.version, priority: n.payload.priority, state, topic: n.topic,
    title: n.payload.title, body: n.payload.body, validFrom: t(n.validFrom), expiresAt: t(n.expiresAt), receivedAt: t(n.receivedAt),
    firstDisplayedAt: t(n.firstDisplayedAt), withdrawnAt: t(n.withdrawnAt), durationSec: n.payload.durationSec,
  };
}

export const noticesModule: ConsoleModule = {
  command: {
    name: 'notices', level: 'tech', summary: 'notices held by the pole and which one is on screen', defaultSub: 'list',
    subcommands: [
      {
        name: 'list', level: 'tech', usage: '[--all]', summary: 'active and scheduled notices (--all: also expired and withdrawn)',
        flags: [{ name: 'all', description: 'include expired and withdrawn notices' }],
        run(ctx, a) {
          const e = ctx.env;
          const now = e.now();
          const held = e.notices.all();
          const states = noticeStates(held, now, e.timeZone, noticeOnScreen(e.page())?.id ?? null);
          const all = held.map((n, i) => view(e, n, states[i]!));
          const shown = a.flags.all === true ? all : all.filter((n) => n.state !== 'expired' && n.state !== 'withdrawn');
          const hidden = all.length - shown.length;
          const rows = shown.map((n) => [n.id, n.priority, n.state, n.expiresAt ? formatLocalTime(Date.parse(n.expiresAt), e.timeZone).slice(5, 16) : 'no expiry', n.title.zh]);
          return {
            result: { notices: shown, hidden },
            text: shown.length === 0 ? [`No notices${hidden ? ` (${hidden} expired or withdrawn: notices list --all)` : ''}.`] : [
              ...formatTable([{ title: 'ID' }, { title: 'PRIORITY' }, { title: 'STATE' }, { title: `UNTIL (${e.timeZone})`, min: 11 }, { title: 'TITLE' }], rows, { paint: ctx.paint }),
              ...(hidden ? [`(${hidden} expired or withdrawn not shown: notices list --all)`] : []),
            ],
          };
        },
      },
      {
        name: 'show', level: 'tech', usage: '<id>', summary: 'one notice in full (an unambiguous start of the id is enough)',
        args: [{ name: 'id', required: true }],
        run(ctx, a) {
          const e = ctx.env;
          const now = e.now();
          const id = a.positionals[0]!;
          const all = e.notices.all();
          const exact = all.filter((n) => n.id === id);
          const found = exact.length ? exact : all.filter((n) => n.id.startsWith(id));
          if (found.length === 0) throw consoleError('SP_CONSOLE_NOT_FOUND', { id }, { message: `no notice "${id}"; notices list --all shows every id` });
          if (found.length > 1) throw consoleError('SP_CONSOLE_AMBIGUOUS', { id }, { message: `"${id}" matches ${found.map((n) => `${n.id} (${n.issuer})`).join(', ')}` });
          const states = noticeStates(all, now, e.timeZone, noticeOnScreen(e.page())?.id ?? null);
          const v = view(e, found[0]!, states[all.indexOf(found[0]!)]!);
          const t = (s: string | null) => (s ? formatLocalTime(Date.parse(s), e.timeZone) : '—');
          return {
            result: v,
            text: formatFields([
              ['Id', `${v.id} (version ${v.version}, from ${v.issuer})`], ['Priority', v.priority], ['State', v.state],
              ['Valid', `${t(v.validFrom)} → ${v.expiresAt ? t(v.expiresAt) : 'no expiry'}`], ['Received', t(v.receivedAt)],
              ['First shown', t(v.firstDisplayedAt)], ['On screen for', `${v.durationSec} s per turn`],
              ['Title', v.title.zh], ...(v.title.en ? [['Title (en)', v.title.en] as [string, string]] : []),
              ['Body', v.body.zh], ...(v.body.en ? [['Body (en)', v.body.en] as [string, string]] : []),
            ], { paint: ctx.paint }),
          };
        },
      },
    ],
  },
};
