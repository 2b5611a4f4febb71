/**
 * Which config keys take effect without a restart (docs/console.md §config). A service that can
 * re-read a setting registers the key (or a prefix ending in ".") with an apply function;
 * `config set` on any other key saves the file and says a restart (`reboot`) is needed. The
 * console registers its own session settings (docs/console.md).
 */
import type { Config } from '../config/schema.js';

export type ApplyFn = (next: Readonly<Config>) => void;

export class LiveConfigRegistry {
  private readonly entries: { key: string; apply: ApplyFn }[] = [];

  register(key: string, apply: ApplyFn): void {
    this.entries.push({ key, apply });
  }

  private find(key: string) {
    return this.entries.find((e) => (e.key.endsWith('.') ? key.startsWith(e.key) : key === e.key));
  }

  isLive(key: string): boolean {
    return this.find(key) !== undefined;
  }

  keys(): string[] {
    return this.entries.map((e) => e.key);
  }

  /** Applies a saved change; false when the key needs a restart. */
  apply(key: string, next: Readonly<Config>): boolean {
    const e = this.find(key);
    if (!e) return false;
    e.apply(next);
    return true;
  }
}
