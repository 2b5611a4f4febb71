/**
 * The UI state machine of the public screen: the current page (`UiMode`, from the page registry), a back
 * stack of views, the language, and what the current visitor has typed. `reset()` is the idle
 * timeout's end of session (docs/screen.md §Behaviour): everything typed and chosen is forgotten, so
 * nothing is left for the next person. Pure state: no timers, no I/O (ScreenService drives it).
 */
import { isElderPage, type Language, type UiMode } from '../../display/page-model.js';

/** The page the visitor is on: one of the page registry's pages (display/page-model.ts), overlays excepted. */
export type { UiMode };

export function isElder(mode: UiMode): boolean {
  return isElderPage(mode);
}

/** One entry of the back stack: a page and what it is about. */
export interface View {
  mode: UiMode;
  /** 1-based page of a paged view. */
  page: number;
  noticeId?: string;
  categoryId?: string;
  /** A search whose results are listed (service-list from "all results"). */
  searchQuery?: string;
  placeId?: string;
  stopId?: string;
  fbCategory?: string;
  fbProblem?: string;
  ticket?: string;
}

export const MAX_QUERY = 12;
export const MAX_HISTORY = 20;

export class UiSession {
  lang: Language;
  view: View = { mode: 'attract', page: 1 };
  history: View[] = [];
  /** Pinyin initials typed on the search keyboard. */
  query = '';
  /** Digits typed on the ticket keypad. */
  ticketInput = '';
  ticketError: string | null = null;
  feedbackError: string | null = null;
  selectedPort: string | null = null;

  constructor(private readonly defaultLang: Language) {
    this.lang = defaultLang;
  }

  get mode(): UiMode {
    return this.view.mode;
  }

  /** Back to the attract loop, forgetting the visitor (idle timeout, emergency takeover). */
  reset(): void {
    this.lang = this.defaultLang;
    this.view = { mode: 'attract', page: 1 };
    this.history = [];
    this.query = '';
    this.ticketInput = '';
    this.ticketError = null;
    this.feedbackError = null;
    this.selectedPort = null;
  }

  /** Goes forward to a view; the current one is remembered for "back". */
  go(view: Omit<View, 'page'> & { page?: number }): void {
    if (this.view.mode !== 'attract') {
      this.history.push(this.view);
      if (this.history.length > MAX_HISTORY) this.history.shift();
    }
    this.view = { page: 1, ...view };
  }

  /** The home page of the mode the visitor is in (elder mode has its own). */
  home(): void {
    this.history = [];
    this.view = { mode: isElder(this.view.mode) ? 'elder-home' : 'home', page: 1 };
    this.ticketError = null;
    this.feedbackError = null;
  }

  /** Into elder mode (from the attract loop or home) or out of it to the standard home page. */
  elder(on: boolean): void {
    this.history = [];
    this.view = { mode: on ? 'elder-home' : 'home', page: 1 };
  }

  back(): void {
    this.view = this.history.pop() ?? { mode: isElder(this.view.mode) ? 'elder-home' : 'home', page: 1 };
    this.ticketError = null;
    this.feedbackError = null;
  }

  /** Replaces the current view and history (after a submission, "back" must not resubmit). */
  replace(view: View, history: View[]): void {
    this.view = view;
    this.history = history;
  }

  /** Moves within a paged view; clamps to 1..count. Returns whether the page changed. */
  turn(delta: number, count: number): boolean {
    const next = Math.max(1, Math.min(count, this.view.page + delta));
    if (next === this.view.page) return false;
    this.view = { ...this.view, page: next };
    return true;
  }

  toggleLanguage(): void {
    this.lang = this.lang === 'zh' ? 'en' : 'zh';
  }
}
