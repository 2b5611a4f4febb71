/**
 * The compose form → a notice draft and its targets (docs/ops-console.md §Notices). Times in the
 * form are the city's local time (`datetime-local`, no zone) and read in the console's zone
 * (UTC+08:00, China Standard Time). Every problem is reported per field, in both languages.
 */
import { createHash } from 'node:crypto';
import { NoticeDraft, NoticePriority } from '../../../protocols/notice.js';
import { isSafeLevel, type NoticeTarget } from '../../../protocols/topics.js';

export const CONSOLE_OFFSET = '+08:00';
export const MAX_DAYPARTS = 3;

export interface ComposeInput {
  titleZh: string; titleEn: string; bodyZh: string; bodyEn: string;
  priority: string; category: string; durationSec: string;
  validFrom: string; expiresAt: string;
  dayparts: { days: string[]; from: string; to: string }[];
  audience: 'all' | 'groups' | 'poles';
  groups: string[];
  poles: string;
}

export interface ComposeProblem { field: string; zh: string; en: string }

export interface Composed {
  draft: NoticeDraft;
  targets: NoticeTarget[];
  /** A stable digest of what will be sent (title, body, options, targets): the send must match the preview. */
  digest: string;
}

export function composeInput(form: Record<string, string>, formAll: Record<string, string[]>): ComposeInput {
  const dayparts = [];
  for (let i = 0; i < MAX_DAYPARTS; i++) {
    dayparts.push({ days: formAll[`dp${i}_days`] ?? [], from: (form[`dp${i}_from`] ?? '').trim(), to: (form[`dp${i}_to`] ?? '').trim() });
  }
  const a = form.audience;
  return {
    titleZh: (form.title_zh ?? '').trim(), titleEn: (form.title_en ?? '').trim(), bodyZh: (form.body_zh ?? '').trim(), bodyEn: (form.body_en ?? '').trim(),
    priority: form.priority ?? 'normal', category: (form.category ?? '').trim(), durationSec: (form.duration ?? '10').trim(),
    validFrom: (form.valid_from ?? '').trim(), expiresAt: (form.expires_at ?? '').trim(), dayparts,
    audience: a === 'groups' || a === 'poles' ? a : 'all', groups: (formAll.groups ?? []).filter(Boolean), poles: form.poles ?? '',
  };
}

export const EMPTY_INPUT: ComposeInput = composeInput({}, {});

/** `2026-12-08T09:30` (local) → ISO with the console's offset, or null when not a date-time. */
export function localToIso(v: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return null;
  const iso = `${v}:00.000${CONSOLE_OFFSET}`;
  return Number.isFinite(Date.parse(iso)) ? iso : null;
}

export function compose(i: ComposeInput): { ok: true; value: Composed } | { ok: false; problems: ComposeProblem[] } {
  const problems: ComposeProblem[] = [];
  const p = (field: string, zh: string, en: string) => problems.push({ field, zh, en });
  if (!i.titleZh) p('title_zh', '请填写中文标题。', 'The Chinese title is required.');
  if (!i.bodyZh) p('body_zh', '请填写中文正文。', 'The Chinese text is required.');
  if (!!i.titleEn !== !!i.bodyEn) p(i.titleEn ? 'body_en' : 'title_en', '英文标题和英文正文要一起填写。', 'Give the English title and text together, or neither.');
  if (!NoticePriority.safeParse(i.priority).success) p('priority', '优先级无效。', 'Unknown priority.');
  const validFrom = i.validFrom ? localToIso(i.validFrom) : null;
  if (i.validFrom && !validFrom) p('valid_from', '开始时间格式不对。', 'The start time is not a date and time.');
  const expiresAt = i.expiresAt ? localToIso(i.expiresAt) : null;
  if (i.expiresAt && !expiresAt) p('expires_at', '结束时间格式不对。', 'The end time is not a date and time.');
  if (validFrom && expiresAt && Date.parse(expiresAt) <= Date.parse(validFrom)) p('expires_at', '结束时间要晚于开始时间。', 'The end must be after the start.');
  const dayparts = i.dayparts.map((d, n) => ({ d, n })).filter(({ d }) => d.from || d.to).map(({ d, n }) => {
    if (!/^\d{2}:\d{2}$/.test(d.from) || !/^\d{2}:\d{2}$/.test(d.to)) p(`dp${n}_from`, `时段 ${n + 1} 的起止时间要填写完整。`, `Daypart ${n + 1} needs a start and an end time.`);
    const days = d.days.map(Number).filter((x) => Number.isInteger(x) && x >= 1 && x <= 7);
    return { days: days.length ? [...new Set(days)].sort() : [1, 2, 3, 4, 5, 6, 7], from: d.from, to: d.to };
  });
  let targets: NoticeTarget[] = [];
  if (i.audience === 'all') targets = [{ scope: 'all' }];
  else if (i.audience === 'groups') {
    const bad = i.groups.filter((g) => !g.split('/').every(isSafeLevel));
    if (!i.groups.length) p('groups', '请至少选择一个分组。', 'Choose at least one group.');
    if (bad.length) p('groups', `分组名无效：${bad.join(', ')}`, `Not a group name: ${bad.join(', ')}`);
    targets = [...new Set(i.groups)].sort().map((group) => ({ scope: 'group', group }));
  } else {
    const ids = [...new Set(i.poles.split(/[\s,，;；]+/).map((s) => s.trim()).filter(Boolean))].sort();
    const bad = ids.filter((x) => !isSafeLevel(x) || x.length > 32);
    if (!ids.length) p('poles', '请至少填写一个灯杆编号。', 'Give at least one pole id.');
    if (bad.length) p('poles', `灯杆编号无效：${bad.join(', ')}`, `Not a pole id: ${bad.join(', ')}`);
    if (ids.length > 500) p('poles', '一次最多 500 根灯杆。', 'At most 500 poles at once.');
    targets = ids.map((poleId) => ({ scope: 'pole', poleId }));
  }
  const raw = {
    priority: i.priority, title: { zh: i.titleZh, ...(i.titleEn ? { en: i.titleEn } : {}) }, body: { zh: i.bodyZh, ...(i.bodyEn ? { en: i.bodyEn } : {}) },
    durationSec: Number(i.durationSec || 10), ...(i.category ? { category: i.category } : {}),
    ...(validFrom ? { validFrom } : {}), ...(expiresAt ? { expiresAt } : {}), ...(dayparts.length ? { dayparts } : {}),
  };
  const parsed = NoticeDraft.safeParse(raw);
  if (!parsed.success && !problems.length) {
    for (const issue of parsed.error.issues.slice(0, 5)) p(issue.path.join('.') || 'notice', `内容不符合要求：${issue.path.join('.')} ${issue.message}`, `${issue.path.join('.')}: ${issue.message}`);
  }
  if (problems.length || !parsed.success) return { ok: false, problems };
  const digest = createHash('sha256').update(JSON.stringify({ raw, targets })).digest('hex').slice(0, 32);
  return { ok: true, value: { draft: parsed.data, targets, digest } };
}
