/** Every schema step of the console: each area's list, in the areas' order (docs/ops-console.md §Tables). */
import type { Migration } from './store.js';
import { AREAS } from './areas.js';

export function allMigrations(): Migration[] {
  return AREAS.flatMap((a) => a.migrations);
}
