/** Who is acting in an audited step: the logged-in user's name and role (docs/ops-console.md §Users, roles, sessions). */
import type { User } from './users.js';

export type Operator = Pick<User, 'username' | 'role'>;
