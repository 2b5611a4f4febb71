/**
 * The departments that answer citizens' messages, and which one a category goes to first
 * (docs/ops-console.md §Citizens' messages). The operator can always assign another. Built in, like
 * the pole's message categories (runtime/feedback/categories.ts); `Department` is the schema a
 * city's own list will be read with.
 */
import { z } from 'zod';

export const Department = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,40}$/),
  name: z.object({ zh: z.string().min(1).max(60), en: z.string().min(1).max(120) }),
  /** Message categories (runtime/feedback/categories.ts ids) this department takes first. */
  categories: z.array(z.string()).default([]),
});
export type Department = z.infer<typeof Department>;

export const DEFAULT_DEPARTMENTS: readonly Department[] = Object.freeze([
  { id: 'street-lighting', name: { zh: '市路灯管理处', en: 'Street Lighting Office' }, categories: ['lighting'] },
  { id: 'urban-management', name: { zh: '区城市管理执法局', en: 'District Urban Management Bureau' }, categories: ['facilities'] },
  { id: 'sanitation', name: { zh: '区环境卫生管理局', en: 'District Sanitation Bureau' }, categories: ['sanitation'] },
  { id: 'roads-traffic', name: { zh: '区交通运输局', en: 'District Transport Bureau' }, categories: ['roads'] },
  { id: 'hotline', name: { zh: '12345市民服务热线', en: '12345 Citizen Service Hotline' }, categories: ['other'] },
]);

/** The department a category goes to first, or undefined (the operator chooses). */
export function suggestDepartment(departments: readonly Department[], category: string): Department | undefined {
  return departments.find((d) => d.categories.includes(category));
}
