/**
 * Operator roles of the console (docs/ops-console.md §Users and roles): an editor composes and
 * sends; an approver also approves what needs four eyes; an administrator also manages users and
 * may override the four-eyes rule with a written reason. Pure.
 */
export const OPERATOR_ROLES = ['editor', 'approver', 'administrator'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];

/** Who is acting: what every audited step records. */
export interface Operator {
  username: string;
  role: OperatorRole;
}

const RANK: Record<OperatorRole, number> = { editor: 0, approver: 1, administrator: 2 };

/** Whether `role` includes the powers of `needed` (administrator ⊃ approver ⊃ editor). */
export function roleAtLeast(role: OperatorRole, needed: OperatorRole): boolean {
  return RANK[role] >= RANK[needed];
}
