/**
 * Every page's layout (hit regions) and drawing, keyed by the page registry (display/page-model.ts
 * `PageModel`): a page missing here does not compile. `layoutPage` turns page content into a full
 * page model with its hit regions; the Renderer draws by the same table.
 */
import type { ScreenGeometry } from './geometry.js';
import type { Hit, PageContent, PageId, PageModel, PageOf } from './page-model.js';
import { idleHit } from './draw/chrome.js';
import type { Kit } from './draw/kit.js';
import { attractHits, drawAttract } from './pages/attract.js';
import { drawEmergency, emergencyHits } from './pages/emergency.js';
import { drawHome, homeHits } from './pages/home.js';
import { drawNotice, drawNotices, noticeHits, noticesHits } from './pages/notices.js';
import { drawService, drawServiceList, drawServices, serviceHits, serviceListHits, servicesHits } from './pages/services.js';
import { drawSearch, searchHits } from './pages/search.js';
import { drawTransit, drawTransitStop, transitHits, transitStopHits } from './pages/transit.js';
import { chargingHits, drawCharging } from './pages/charging.js';
import {
  drawFeedback, drawFeedbackCategory, drawFeedbackConfirm, drawFeedbackDone, drawFeedbackProblem,
  feedbackCategoryHits, feedbackConfirmHits, feedbackDoneHits, feedbackHits, feedbackProblemHits,
} from './pages/feedback.js';
import { drawTicketLookup, ticketLookupHits } from './pages/ticket.js';
import { drawTicketResult, ticketResultHits } from './pages/ticket-result.js';
import { calibrationHits, drawCalibration } from './pages/calibration.js';
import {
  drawElderHome, drawElderPlace, drawElderPlaces, drawElderServices, elderHomeHits, elderPlaceHits, elderPlacesHits, elderServicesHits,
} from './pages/elder.js';

type View<P extends PageModel> = { hits(g: ScreenGeometry, c: PageContent<P>): Hit[]; draw(k: Kit, m: P): void };
type Views = { [K in PageId]: View<PageOf<K>> };

export const VIEWS: Views = {
  'attract': { hits: attractHits, draw: drawAttract },
  'emergency': { hits: emergencyHits, draw: drawEmergency },
  'calibration': { hits: calibrationHits, draw: drawCalibration },
  'home': { hits: homeHits, draw: drawHome },
  'notices': { hits: noticesHits, draw: drawNotices },
  'notice': { hits: noticeHits, draw: drawNotice },
  'services': { hits: servicesHits, draw: drawServices },
  'service-list': { hits: serviceListHits, draw: drawServiceList },
  'service-search': { hits: searchHits, draw: drawSearch },
  'service': { hits: serviceHits, draw: drawService },
  'transit': { hits: transitHits, draw: drawTransit },
  'transit-stop': { hits: transitStopHits, draw: drawTransitStop },
  'charging': { hits: chargingHits, draw: drawCharging },
  'feedback': { hits: feedbackHits, draw: drawFeedback },
  'feedback-category': { hits: feedbackCategoryHits, draw: drawFeedbackCategory },
  'feedback-problem': { hits: feedbackProblemHits, draw: drawFeedbackProblem },
  'feedback-confirm': { hits: feedbackConfirmHits, draw: drawFeedbackConfirm },
  'feedback-done': { hits: feedbackDoneHits, draw: drawFeedbackDone },
  'ticket-lookup': { hits: ticketLookupHits, draw: drawTicketLookup },
  'ticket-result': { hits: ticketResultHits, draw: drawTicketResult },
  'elder-home': { hits: elderHomeHits, draw: drawElderHome },
  'elder-services': { hits: elderServicesHits, draw: drawElderServices },
  'elder-places': { hits: elderPlacesHits, draw: drawElderPlaces },
  'elder-place': { hits: elderPlaceHits, draw: drawElderPlace },
};

function viewOf<P extends PageModel>(page: P['page']): View<P> {
  return VIEWS[page] as unknown as View<P>;
}

/** Adds hit regions to page content (the idle banner's goes last, on top). */
export function layoutPage<P extends PageModel>(g: ScreenGeometry, c: PageContent<P>): P {
  const hits = [...viewOf<P>(c.page).hits(g, c), ...idleHit(g, c)];
  return { ...c, hits } as P;
}

export function drawPage(k: Kit, m: PageModel): void {
  viewOf(m.page).draw(k, m);
}

/** The topmost hit region under a point (later regions lie on top). */
export function hitAt(m: PageModel, x: number, y: number): Hit | null {
  for (let i = m.hits.length - 1; i >= 0; i--) {
    const r = m.hits[i]!.rect;
    if (x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h) return m.hits[i]!;
  }
  return null;
}
