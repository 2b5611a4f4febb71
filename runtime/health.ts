/**
 * Health registry: each device and service reports how it is, in one shape, for the birth
 * message, the console's `status`, and the simulator's devices panel.
 */
export type HealthStatus = 'ok' | 'degraded' | 'down' | 'absent';

export interface Health {
  status: HealthStatus;
  /** One line a technician can act on, e.g. "serial device lost: EIO; reopening". */
  detail?: string;
  [k: string]: unknown;
}

export class HealthRegistry {
  private readonly sources = new Map<string, () => Health>();

  register(name: string, source: () => Health): void {
    this.sources.set(name, source);
  }

  snapshot(): Record<string, Health> {
    const out: Record<string, Health> = {};
    for (const [name, f] of this.sources) {
      try {
        out[name] = f();
      } catch (e) {
        out[name] = { status: 'down', detail: `health check failed: ${(e as Error).message}` };
      }
    }
    return out;
  }
}
