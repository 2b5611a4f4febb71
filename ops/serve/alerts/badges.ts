/** Alert state and tier as badges: text in both languages beside the colour (docs/ops-console.md §Pages). */
import { bi, html, type Html } from '../html.js';
import type { AlertState } from './alert-machine.js';

const STATE: Record<AlertState, [string, string, string]> = {
  draft: ['b-dim', '草稿', 'Draft'],
  'awaiting-approval': ['b-warn', '待审批', 'Awaiting approval'],
  sent: ['b-ok', '已发送', 'Sent'],
  updated: ['b-ok', '已更新', 'Updated'],
  cancelled: ['b-dim', '已解除', 'Cancelled'],
};

const TIER: Record<string, [string, string, string]> = {
  emergency: ['b-error', '紧急（接管屏幕）', 'Emergency (takes over the screen)'],
  high: ['b-warn', '重要', 'High'],
  normal: ['b-dim', '一般', 'Normal'],
  low: ['b-dim', '低', 'Low'],
};

export function stateBadge(s: AlertState): Html {
  const [cls, zh, en] = STATE[s];
  return html`<span class="badge ${cls}" data-state="${s}">${bi(zh, en)}</span>`;
}

export function tierBadge(t: string): Html {
  const [cls, zh, en] = TIER[t] ?? TIER.normal!;
  return html`<span class="badge ${cls}" data-tier="${t}">${bi(zh, en)}</span>`;
}
