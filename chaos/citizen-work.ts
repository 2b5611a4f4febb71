/**
 * A citizen at the screen (docs/chaos.md §Workload): taps through 城市留言板 — wake, messages,
 * report, category, problem, submit — as eGalax packets on the touch PTY (`POST /api/touch`),
 * finding each button from the page model the pole reports (`screen.page`). Also random taps
 * anywhere. A visit that meets a fault (touch unplugged, an emergency takeover, the pole
 * restarting) is abandoned, as a citizen would walk off.
 */
import type { EventLog } from './event-log.js';
import type { Ledger } from './ledger.js';
import type { OpsLink } from './ops-link.js';
import type { PoleRig } from './pole-rig.js';

interface Page { page?: string; hits?: { id: string; rect: { x: number; y: number; w: number; h: number } }[]; ticket?: string }

const FLOW: [page: string | null, hit: string][] = [
  ['attract', 'wake'], ['home', 'tile:feedback'], ['feedback', 'report'], ['feedback-category', 'cat:lighting'],
  ['feedback-problem', 'problem:lamp-out'], ['feedback-confirm', 'submit'],
];

export class CitizenWork {
  busy = false;
  visits = 0;
  submitted = 0;
  abandoned = 0;
  taps = 0;

  constructor(private readonly rig: PoleRig, private readonly ops: OpsLink, private readonly ledger: Ledger, private readonly log: EventLog, private readonly rnd: () => number) {}

  private async page(): Promise<Page | null> {
    const id = this.ops.command('screen.page', {}, 30_000);
    const r = await this.ops.answer(id, () => this.ledger.responses, 8_000);
    return r?.ok === true ? (r.result as Page) : null;
  }

  private async tap(x: number, y: number): Promise<void> {
    this.taps++;
    await this.rig.sim.api('/api/touch', { method: 'POST', body: JSON.stringify({ x, y, action: 'tap' }) });
  }

  async randomTap(): Promise<void> {
    await this.tap(Math.floor(this.rnd() * 480), Math.floor(this.rnd() * 800)).catch(() => null);
  }

  /** One visit to send a message; true when the pole showed the ticket page. */
  async message(): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.visits++;
    let seen = 'no page';
    try {
      for (let step = 0; step < 12; step++) {
        const p = await this.page();
        if (!p?.page) break;
        seen = p.page;
        if (p.page === 'feedback-done') {
          this.submitted++;
          this.log.add('work', 'citizen message sent', { ticket: p.ticket ?? null });
          // Back to the attract loop for the next visitor.
          const home = p.hits?.find((h) => h.id === 'nav:home');
          if (home) await this.tap(home.rect.x + home.rect.w / 2, home.rect.y + home.rect.h / 2).catch(() => null);
          return true;
        }
        const want = FLOW.find(([page]) => page === p.page)?.[1] ?? (p.hits?.some((h) => h.id === 'nav:home') ? 'nav:home' : null);
        const h = want ? p.hits?.find((x) => x.id === want) : null;
        if (!h) break;
        await this.tap(Math.round(h.rect.x + h.rect.w / 2), Math.round(h.rect.y + h.rect.h / 2));
        await new Promise((r) => setTimeout(r, 400));
      }
      this.abandoned++;
      this.log.add('work', `citizen walked off at ${seen}`);
      return false;
    } catch (e) {
      this.abandoned++;
      this.log.add('work', `citizen walked off at ${seen}: ${(e as Error).message}`);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
