/**
 * Every signed kind, genuine and signed for one audience, replayed byte for byte on every topic the
 * pole listens to: only the topic of its own audience accepts it; everywhere else it is refused
 * with a code, reported (event, and a receipt or command response where the sender waits), and
 * nothing is stored or run (docs/security.md §Audience).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isoWithOffset } from '../../protocols/time.js';
import { shiftCapTimes } from '../../protocols/cap.js';
import { makeTicket } from '../../protocols/feedback.js';
import { audienceIncludes, audienceOfTopic } from '../../protocols/audience.js';
import { P, POLE, rig, type Rig } from './rig.js';

const T0 = Date.parse('2026-07-10T15:00:00+08:00');
const TICKET = makeTicket('26191007');
const CAP_XML = shiftCapTimes(readFileSync(join(import.meta.dirname, '../../docs/examples/cap/wuhan-rainstorm-orange.xml'), 'utf8'), T0 - Date.parse('2026-07-10T14:30:00+08:00'));

/** Where each kind may arrive (topic builders by audience) and what it looks like. */
const KINDS = {
  notice: { topic: (aud: string, id: string) => noticeTopic(aud, id), id: 'n-hijack', body: (now: number) => ({ type: 'notice', priority: 'emergency', issuedAt: isoWithOffset(now - 1000), title: { zh: '紧急' }, body: { zh: '劫持测试' } }) },
  'notice.withdraw': { topic: (aud: string, id: string) => noticeTopic(aud, id), id: 'n-keep', body: (now: number) => ({ type: 'notice.withdraw', issuedAt: isoWithOffset(now - 1000) }) },
  cap: { topic: (aud: string, id: string) => noticeTopic(aud, id), id: 'cap-chain', body: (now: number) => ({ type: 'cap', issuedAt: isoWithOffset(now - 1000), xml: CAP_XML }) },
  dataset: { topic: (aud: string, id: string) => (aud === 'all' ? `${P}/data/${id}` : `${P}/poles/${aud.slice(5)}/data/${id}`), id: 'transit', body: (now: number) => ({ type: 'dataset', issuedAt: isoWithOffset(now - 1000), data: { stops: ['hijacked'] } }) },
  reply: { topic: (aud: string, id: string) => `${P}/poles/${aud.slice(5)}/replies/${id}`, id: TICKET, body: (now: number) => ({ type: 'reply', issuedAt: isoWithOffset(now - 1000), status: 'resolved', reply: { zh: '劫持' } }) },
  cmd: { topic: (aud: string) => `${P}/poles/${aud.slice(5)}/cmd`, id: 'c-hijack', body: (now: number, aud: string) => ({ type: 'cmd', issuedAt: isoWithOffset(now - 1000), expiresAt: isoWithOffset(now + 3_600_000), name: 'charger.start', args: { connector: 1, paymentRef: 'p-1' }, poleId: aud.slice(5) }) },
} as const;

function noticeTopic(aud: string, id: string): string {
  if (aud === 'all') return `${P}/notices/all/${id}`;
  if (aud.startsWith('group:')) return `${P}/notices/group/${aud.slice(6)}/${id}`;
  return `${P}/notices/pole/${aud.slice(5)}/${id}`;
}

/** Every topic this pole subscribes to (and a group it is not in), with a concrete id per kind. */
function destinations(id: string): string[] {
  return [
    `${P}/notices/all/${id}`, `${P}/notices/group/district/jiangan/${id}`, `${P}/notices/pole/${POLE}/${id}`,
    // Not subscribed; a loose bridge could still deliver it.
    `${P}/notices/group/district/qiaokou/${id}`,
    `${P}/data/${id}`, `${P}/poles/${POLE}/data/${id}`, `${P}/poles/${POLE}/replies/${id}`, `${P}/poles/${POLE}/cmd`, `${P}/trust/list`,
  ];
}

const AUDIENCES = ['all', 'group:district/jiangan', 'group:district/qiaokou', `pole:${POLE}`, 'pole:WH-JA-0999'];
const audiencesFor = (kind: keyof typeof KINDS) => (kind === 'cmd' || kind === 'reply' ? AUDIENCES.filter((a) => a.startsWith('pole:')) : kind === 'dataset' ? AUDIENCES.filter((a) => !a.startsWith('group:')) : AUDIENCES);

const stored = (r: Rig) => ({
  notices: r.notices.all().map((n) => `${n.id}@${n.version}${n.withdrawnAt ? '-' : ''}`),
  datasets: r.datasets.list().map((d) => `${d.name}:${d.scope}@${d.version}`),
  reply: r.feedback.reply(TICKET)?.status ?? null,
  runs: [...r.runs],
});

describe('replay of every signed kind into every other audience and topic', () => {
  for (const kind of Object.keys(KINDS) as (keyof typeof KINDS)[]) {
    it(`${kind}: accepted only on the topic of its signed audience, refused and reported everywhere else`, async () => {
      const r = rig(T0);
      // Something to withdraw, so a wrongly accepted withdrawal would show.
      await r.deliver(noticeTopic('all', 'n-keep'), r.iss.seal({ type: 'notice', id: 'n-keep', audience: 'all', version: 1, issuedAt: isoWithOffset(r.now() - 1000), title: { zh: '保留' }, body: { zh: '保留' } }));
      const k = KINDS[kind];
      let version = 10;
      let cases = 0;
      for (const aud of audiencesFor(kind)) {
        const payload = { ...k.body(r.now(), aud), id: k.id, audience: aud, version: version++ };
        const raw = r.iss.seal(payload);
        const home = k.topic(aud, k.id);
        for (const dest of destinations(k.id)) {
          if (dest === home && audienceIncludes(aud, POLE, ['district/jiangan'])) continue; // genuine: the positive control below
          const before = stored(r);
          const from = r.sent().length;
          await r.deliver(dest, raw);
          cases++;
          const out = r.since(from);
          const codes = out.map((m) => (m.type === 'cmdres' ? (m.error as { code: string } | undefined)?.code : m.code)).filter(Boolean);
          expect(codes.length, `${kind} for ${aud} on ${dest}: reported`).toBeGreaterThan(0);
          // The trust list topic takes only root-signed lists; elsewhere the signed audience is checked
          // before anything else, so a move to another audience is always named as such.
          const want = dest === `${P}/trust/list` ? /^SP_TRUST_NO_ROOT$/
            : audienceOfTopic(P, dest) !== aud ? /^SP_MSG_AUDIENCE_MISMATCH$/
              : dest === home ? /^SP_MSG_NOT_FOR_POLE$/ : /^SP_MSG_(SCHEMA|TOPIC_MISMATCH)$/;
          for (const c of codes) expect(c, `${kind} for ${aud} on ${dest}`).toMatch(want);
          expect(stored(r), `${kind} for ${aud} on ${dest}: nothing stored or run`).toEqual(before);
        }
      }
      expect(cases).toBeGreaterThan(10);
      // Positive control: the same kind, signed for this pole's own audience, on its own topic, is accepted.
      const own = kind === 'cmd' || kind === 'reply' ? `pole:${POLE}` : 'all';
      const before = stored(r);
      await r.deliver(k.topic(own, k.id), r.iss.seal({ ...k.body(r.now(), own), id: k.id, audience: own, version: 1000 }));
      expect(stored(r)).not.toEqual(before);
    });
  }

  it('a notice signed for one pole, re-published on notices/all (the reported hijack), is refused', async () => {
    const r = rig(T0);
    const genuine = r.iss.seal({ type: 'notice', id: 'n1', audience: 'pole:WH-JA-0999', version: 1, issuedAt: isoWithOffset(T0), priority: 'emergency', title: { zh: '只给0999' }, body: { zh: '只给0999' } });
    await r.deliver(`${P}/notices/all/n1`, genuine);
    expect(r.sent().find((m) => m.type === 'event')).toMatchObject({ code: 'SP_MSG_AUDIENCE_MISMATCH', severity: 'security', topic: `${P}/notices/all/n1` });
    expect(r.sent().find((m) => m.type === 'receipt')).toMatchObject({ id: 'n1', status: 'rejected', code: 'SP_MSG_AUDIENCE_MISMATCH' });
    expect(r.notices.all()).toEqual([]);
  });

  it('a payload signed before audiences existed is refused with a code that says so', async () => {
    const r = rig(T0);
    await r.deliver(`${P}/notices/all/old`, r.iss.seal({ type: 'notice', id: 'old', version: 1, issuedAt: isoWithOffset(T0), title: { zh: '旧' }, body: { zh: '旧' } }));
    expect(r.sent().find((m) => m.type === 'event')).toMatchObject({ code: 'SP_MSG_NO_AUDIENCE' });
    expect(r.notices.all()).toEqual([]);
  });
});
