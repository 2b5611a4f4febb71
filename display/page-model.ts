/**
 * What the screen shows, as data. The runtime's UI session builds a page model (runtime/screen);
 * display/ lays it out (hit regions) and renders it. Tests and the simulator read the model
 * (`GET /api/page`) to know what is on screen without OCR, and tap its hit regions by id.
 * Strings in a model are already in the session's language unless a field says otherwise.
 */
import type { NoticePriority } from '../protocols/notice.js';
import type { Rect } from './frame.js';

export type Language = 'zh' | 'en';

/** What touching a hit region does. Plain data: the UI session interprets it. */
export type UiAction =
  | { type: 'wake' }
  | { type: 'home' }
  | { type: 'back' }
  | { type: 'lang' }
  | { type: 'extend' }
  | { type: 'go'; to: 'notices' | 'services' | 'transit' | 'charging' | 'feedback' | 'service-search' | 'feedback-category' | 'ticket-lookup' }
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
  /** Data older than the data set's freshness window is shown with this note. */
  stale: boolean;
}

export interface NoticeView {
  id: string;
  priority: NoticePriority;
  title: string;
  body: string;
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

export interface EmergencyPage extends PageBase {
  page: 'emergency';
  notice: NoticeView;
  rotation: Pager;
}

export interface HomePage extends PageBase {
  page: 'home';
  location: string;
  weather: WeatherLine | null;
  tiles: { id: string; title: string; subtitle: string }[];
  hotline: string;
}

export interface NoticeListItem { id: string; priority: NoticePriority; title: string; excerpt: string; date: string }

export interface NoticesPage extends PageBase {
  page: 'notices';
  items: NoticeListItem[];
  pager: Pager;
  total: number;
}

export interface NoticePage extends PageBase {
  page: 'notice';
  notice: { id: string; priority: NoticePriority; title: string; issued: string; until: string | null };
  /** The body, already broken into lines (clreq), for this page of it. */
  lines: string[];
  pager: Pager;
}

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
}

export interface TransitStopPage extends PageBase {
  page: 'transit-stop';
  stop: StopView;
  pager: Pager;
  updated: string | null;
}

export type OcppStatus = 'Available' | 'Preparing' | 'Charging' | 'SuspendedEVSE' | 'SuspendedEV' | 'Finishing' | 'Reserved' | 'Unavailable' | 'Faulted';

export interface ChargingPortCard { id: string; label: string; status: OcppStatus; statusText: string; tone: 'ok' | 'busy' | 'fault' | 'idle'; detail: string }

export interface ChargingPage extends PageBase {
  page: 'charging';
  /** null: no charging service wired, or it is down — the page says "unavailable". */
  ports: ChargingPortCard[] | null;
  price: string | null;
  selected: { id: string; label: string; qr: string | null; hint: string } | null;
  pads: { label: string; tone: 'ok' | 'busy' | 'fault' | 'idle'; text: string }[] | null;
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

export interface TicketResultPage extends PageBase {
  page: 'ticket-result';
  ticketDisplay: string;
  found: boolean;
  summary: string | null;
  status: string;
  tone: 'ok' | 'busy' | 'fault' | 'idle';
  reply: string | null;
  replyAt: string | null;
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
  | TicketLookupPage | TicketResultPage;

export type PageId = PageModel['page'];

/** The notice a page shows (attract loop, emergency takeover), if any — for status displays. */
export function noticeOnScreen(m: PageModel | null | undefined): NoticeView | null {
  return m && (m.page === 'attract' || m.page === 'emergency') ? m.notice : null;
}

/** A page model before layout: the builder adds `hits`. */
export type PageContent<P extends PageModel = PageModel> = Omit<P, 'hits'>;
