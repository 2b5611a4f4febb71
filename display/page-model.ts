/**
 * What the screen shows, as data. The runtime's UI session builds a page model (runtime/screen);
 * display/ lays it out (hit regions) and renders it. Tests and the simulator read the model
 * (`GET /api/page`) to know what is on screen without OCR, and tap its hit regions by id.
 * Strings in a model are already in the session's language unless a field says otherwise.
 */
import type { NoticePriority } from '../protocols/notice.js';
import type { OcppStatus } from '../protocols/fieldbus/ocpp-status.js';
import type { FeedbackRating } from '../protocols/feedback.js';
import type { Rect } from './frame.js';

export type Language = 'zh' | 'en';

/** What touching a hit region does. Plain data: the UI session interprets it. */
export type UiAction =
  | { type: 'wake' }
  | { type: 'home' }
  | { type: 'back' }
  | { type: 'lang' }
  | { type: 'extend' }
  | { type: 'go'; to: GoTarget }
  /** Elder mode (适老化): into its home page / back to the standard pages. */
  | { type: 'elder' }
  | { type: 'standard' }
  | { type: 'elder-category'; id: string }
  | { type: 'elder-place'; id: string }
  | { type: 'page'; delta: 1 | -1 }
  | { type: 'open-notice'; id: string }
  | { type: 'service-category'; id: string }
  | { type: 'open-service'; id: string }
  | { type: 'open-stop'; id: string }
  | { type: 'select-port'; id: string }
  | { type: 'key'; key: string }
  | { type: 'backspace' }
  | { type: 'clear' }
  | { type: 'feedback-category'; id: string }
  | { type: 'feedback-problem'; id: string }
  /** The citizen rates the answer on the ticket page (docs/feedback.md §Rating). */
  | { type: 'rate'; rating: FeedbackRating }
  | { type: 'submit' };

export interface Hit {
  /** Stable within a page, e.g. "tile:notices", "row:2", "key:h", "nav:back". */
  id: string;
  rect: Rect;
  action: UiAction;
}

export interface Clock { time: string; date: string }
export interface Pager { index: number; count: number }

/** One line of weather for the attract loop and home header. */
export interface WeatherLine {
  icon: 'sun' | 'cloud' | 'rain';
  condition: string;
  tempC: number;
  range: string | null;
  aqi: { value: number; label: string } | null;
  wind: string | null;
  /** Set once the observation is older than its freshness window: "更新于 10:42" (docs/screen.md §Data age). */
  staleMark: string | null;
}

export interface NoticeView {
  id: string;
  priority: NoticePriority;
  title: string;
  body: string;
  /** The title in the other language, when the notice has it (bilingual notices show both); absent or null: none. */
  otherTitle?: string | null;
}

/** Attract-loop status of the pole's own services (field-bus providers; null = no provider wired). */
export interface PoleStatusView {
  lamp: { on: boolean; levelPct: number } | null;
  charging: { free: number; total: number } | null;
  pads: { free: number; total: number } | null;
}

interface PageBase {
  lang: Language;
  clock: Clock;
  hits: Hit[];
  /** The hit region under a finger right now (press feedback). */
  pressed: string | null;
  /** Idle warning: seconds until the screen resets to the attract loop. */
  idle: { secondsLeft: number } | null;
}

export interface AttractPage extends PageBase {
  page: 'attract';
  location: string;
  weather: WeatherLine | null;
  notice: NoticeView | null;
  rotation: Pager;
  status: PoleStatusView;
}

/** One language of an emergency alert on the current screen of its cycle. */
export interface EmergencyBlock {
  lang: Language;
  /** The headline, broken into lines (on every screen of the cycle). */
  title: string[];
  /** This screen's share of the body, broken into lines. */
  lines: string[];
}

/** Type steps of the emergency page, largest first: the builder uses the largest at which the alert fits. */
export type EmergencyTextStep = 0 | 1 | 2 | 3;

export interface EmergencyPage extends PageBase {
  page: 'emergency';
  notice: NoticeView;
  rotation: Pager;
  /** Every language the alert has, stacked (docs/screen.md §Bilingual emergencies). */
  blocks: EmergencyBlock[];
  step: EmergencyTextStep;
  /** Screens of a long alert turn on a fixed cycle; count 1 when it fits on one. */
  cycle: Pager;
}

export interface HomePage extends PageBase {
  page: 'home';
  location: string;
  weather: WeatherLine | null;
  tiles: { id: string; title: string; subtitle: string }[];
  hotline: string;
}

/** `otherTitle`: the title in the other language (bilingual notices), shown in place of the excerpt. */
export interface NoticeListItem { id: string; priority: NoticePriority; title: string; otherTitle: string | null; excerpt: string; date: string }

export interface NoticesPage extends PageBase {
  page: 'notices';
  items: NoticeListItem[];
  pager: Pager;
  total: number;
}

export interface NoticePage extends PageBase {
  page: 'notice';
  notice: { id: string; priority: NoticePriority; title: string; issued: string; until: string | null };
  /** The body, already broken into lines (clreq), for this page of it; a bilingual notice continues in the other language. */
  lines: NoticeLine[];
  pager: Pager;
}

/** A line of a notice page: body text, a rule (a line's height, the rule in its middle), or the other language's title. */
export interface NoticeLine { text: string; kind: 'body' | 'rule' | 'title' }

export interface ServiceCategoryView { id: string; name: string; count: number }

export interface ServicesPage extends PageBase {
  page: 'services';
  categories: ServiceCategoryView[];
  pager: Pager;
  /** False when no services data set is stored. */
  available: boolean;
}

export interface PlaceListItem { id: string; name: string; address: string; distance: string; open: string | null }

export interface ServiceListPage extends PageBase {
  page: 'service-list';
  title: string;
  items: PlaceListItem[];
  pager: Pager;
  total: number;
}

export interface ServiceSearchPage extends PageBase {
  page: 'service-search';
  /** Pinyin initials typed so far, e.g. "hz". */
  query: string;
  results: PlaceListItem[];
  total: number;
  keys: string[][];
}

export interface ServicePage extends PageBase {
  page: 'service';
  place: { id: string; name: string; category: string; address: string; hours: string; phone: string | null; distance: string; note: string | null };
  qr: { payload: string; caption: string };
}

export interface ArrivalView { line: string; toward: string; next: string; then: string | null; live: boolean }

export interface StopView { id: string; name: string; kind: 'bus' | 'metro'; distance: string; lines: ArrivalView[] }

export interface TransitPage extends PageBase {
  page: 'transit';
  stops: StopView[];
  pager: Pager;
  available: boolean;
  updated: string | null;
  /** Set when the live feed is older than its window: "实时数据更新于 10:42" (arrivals then come from the timetable). */
  staleMark: string | null;
}

export interface TransitStopPage extends PageBase {
  page: 'transit-stop';
  stop: StopView;
  pager: Pager;
  updated: string | null;
  staleMark: string | null;
}

/** How a status is coloured: usable, in use, broken, or off (docs/screen.md §Palette). */
export type Tone = 'ok' | 'busy' | 'fault' | 'idle';

/** One port on the charging page: the screen's ChargingOffer port (runtime/screen/field-view.ts), worded and coloured. */
export interface ChargingPortCard { id: string; label: string; status: OcppStatus; statusText: string; tone: Tone; detail: string }

/** One phone pad on the charging page. */
export interface PadCard { label: string; tone: Tone; text: string }

export interface ChargingPage extends PageBase {
  page: 'charging';
  /** null: no charging service wired, or it is down — the page says "unavailable". */
  ports: ChargingPortCard[] | null;
  price: string | null;
  selected: { id: string; label: string; qr: string | null; hint: string } | null;
  pads: PadCard[] | null;
}

export interface FeedbackPage extends PageBase {
  page: 'feedback';
  intro: string;
}

export interface FeedbackCategoryPage extends PageBase {
  page: 'feedback-category';
  categories: { id: string; name: string }[];
}

export interface FeedbackProblemPage extends PageBase {
  page: 'feedback-problem';
  category: string;
  problems: { id: string; name: string }[];
}

export interface FeedbackConfirmPage extends PageBase {
  page: 'feedback-confirm';
  category: string;
  problem: string;
  location: string;
  poleId: string;
  error: string | null;
}

export interface FeedbackDonePage extends PageBase {
  page: 'feedback-done';
  ticket: string;
  /** The ticket as shown, grouped for reading aloud: "263 310 047". */
  ticketDisplay: string;
  qr: string;
}

export interface TicketLookupPage extends PageBase {
  page: 'ticket-lookup';
  input: string;
  error: string | null;
  keys: string[][];
}

/** One step of 受理 → 办理中 → 已回复 on the ticket page. */
export interface TicketStepView {
  label: string;
  /** Reached (or passed: a step the city skipped counts as done). */
  reached: boolean;
  current: boolean;
  /** When this pole heard of it, or null (skipped / not yet). */
  at: string | null;
}

/** The ticket page's rating row: 满意 / 基本满意 / 不满意. */
export interface TicketRatingView {
  prompt: string;
  /** Button words, one string per line. */
  options: { id: FeedbackRating; label: string[] }[];
  /** Once rated: the choice (shown highlighted, no more buttons). */
  chosen: FeedbackRating | null;
  /** Why the rating could not be stored, in the session's language. */
  error: string | null;
}

export interface TicketResultPage extends PageBase {
  page: 'ticket-result';
  ticketDisplay: string;
  found: boolean;
  /** "category · submitted at" only: the lookup is public, so never the problem or the message text. */
  summary: string | null;
  status: string;
  tone: Tone;
  /** 受理 → 办理中 → 已回复 once the city has sent a status; null before. */
  steps: TicketStepView[] | null;
  /** The department in charge, when the city named it. */
  department: string | null;
  /** The whole answer (or what stands in for it), in the session's language. */
  reply: string | null;
  /** This page's lines of it: a long answer is paged with the footer's ◀ ▶. */
  replyLines: string[];
  pager: Pager;
  replyAt: string | null;
  /** Null when there is no answer to rate. */
  rating: TicketRatingView | null;
}

/** Elder mode home (适老化): the hotlines, then the four most used services, then all of them. */
export interface ElderHomePage extends PageBase {
  page: 'elder-home';
  hotline: { number: string; label: string; others: string };
  services: { id: string; name: string }[];
}

/** Every service category as a short list of large rows (no keyboard). */
export interface ElderServicesPage extends PageBase {
  page: 'elder-services';
  categories: ServiceCategoryView[];
  pager: Pager;
  available: boolean;
}

export interface ElderPlacesPage extends PageBase {
  page: 'elder-places';
  title: string;
  items: PlaceListItem[];
  pager: Pager;
  total: number;
}

export interface ElderPlacePage extends PageBase {
  page: 'elder-place';
  place: { id: string; name: string; address: string; hours: string; phone: string | null; distance: string };
  qr: { payload: string; caption: string };
}

/** Touch calibration in progress (technician console): a cross to press. */
export interface CalibrationPage extends PageBase {
  page: 'calibration';
  target: { x: number; y: number; index: number; count: number };
}

export type PageModel =
  | AttractPage | EmergencyPage | CalibrationPage | HomePage | NoticesPage | NoticePage
  | ServicesPage | ServiceListPage | ServiceSearchPage | ServicePage
  | TransitPage | TransitStopPage | ChargingPage
  | FeedbackPage | FeedbackCategoryPage | FeedbackProblemPage | FeedbackConfirmPage | FeedbackDonePage
  | TicketLookupPage | TicketResultPage
  | ElderHomePage | ElderServicesPage | ElderPlacesPage | ElderPlacePage;

/**
 * The page registry (docs/screen.md §Pages). `PageModel` above is the one list of pages; every
 * other table is keyed by it and the compiler refuses one that misses a page: display/views.ts
 * (hit regions and drawing per page), runtime/screen/build (content per UI mode), and the UI
 * session's modes (`UiMode`, the pages a visitor can be on).
 */
export type PageId = PageModel['page'];

/** A page's model by id. */
export type PageOf<K extends PageId> = Extract<PageModel, { page: K }>;

/** Pages that pre-empt whatever a visitor is doing; the UI session never goes to them. */
export type OverlayPageId = 'emergency' | 'calibration';

/** A page a visitor's session can be on: the UI mode (runtime/screen/ui-session.ts). */
export type UiMode = Exclude<PageId, OverlayPageId>;

/** Where a "go" hit region leads (UiAction `go`). */
export type GoTarget = Extract<UiMode, 'notices' | 'services' | 'transit' | 'charging' | 'feedback' | 'service-search' | 'feedback-category' | 'ticket-lookup' | 'elder-services'>;

/** Elder-mode pages (1.5× text, ≥ 15 mm targets; docs/screen.md §Elder mode). */
export const ELDER_PAGES: ReadonlySet<PageId> = new Set<PageId>(['elder-home', 'elder-services', 'elder-places', 'elder-place']);

export function isElderPage(page: PageId): boolean {
  return ELDER_PAGES.has(page);
}

/** The notice a page shows (attract loop, emergency takeover), if any — for status displays. */
export function noticeOnScreen(m: PageModel | null | undefined): NoticeView | null {
  return m && (m.page === 'attract' || m.page === 'emergency') ? m.notice : null;
}

/** A page model before layout: the builder adds `hits`. */
export type PageContent<P extends PageModel = PageModel> = Omit<P, 'hits'>;
