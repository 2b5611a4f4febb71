/**
 * Would the service user be allowed to open a file? Decided from the file's owner, group and mode
 * against the user's uid and groups (`id`, coreutils), so the doctor can answer as root for the
 * account the service runs as. ACLs are not considered.
 */
import { execFileSync } from 'node:child_process';
import { constants, statSync, type Stats } from 'node:fs';

export interface ServiceUser {
  name: string;
  uid: number;
  gids: number[];
  groupNames: string[];
}

export function lookupUser(name: string): ServiceUser | null {
  try {
    const id = (args: string[]) => execFileSync('id', [...args, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { name, uid: Number(id(['-u'])), gids: id(['-G']).split(/\s+/).map(Number), groupNames: id(['-Gn']).split(/\s+/) };
  } catch {
    return null;
  }
}

export type Access = 'r' | 'w' | 'rw';

/** True if `user` may access `st` as asked (root may do anything). */
export function allowed(user: ServiceUser, st: Stats, want: Access): boolean {
  if (user.uid === 0) return true;
  const shift = st.uid === user.uid ? 6 : user.gids.includes(st.gid) ? 3 : 0;
  const bits = (st.mode >> shift) & 7;
  const need = (want.includes('r') ? constants.R_OK : 0) | (want.includes('w') ? constants.W_OK : 0);
  return (bits & need) === need;
}

/** Every directory on the way must be searchable too. */
export function reachable(user: ServiceUser, path: string): string | null {
  const parts = path.split('/').filter(Boolean);
  let dir = '';
  for (const p of parts.slice(0, -1)) {
    dir += `/${p}`;
    let st: Stats;
    try { st = statSync(dir); } catch { return null; }
    if (user.uid !== 0) {
      const shift = st.uid === user.uid ? 6 : user.gids.includes(st.gid) ? 3 : 0;
      if (!((st.mode >> shift) & 1)) return dir;
    }
  }
  return null;
}
