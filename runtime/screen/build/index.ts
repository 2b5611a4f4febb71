/**
 * Builds the page model for the session's current view: content from the stores, then layout
 * (hit regions) from display/. A page whose subject has vanished (a notice withdrawn while being
 * read, a place dropped from a new data set) falls back to the page before it.
 */
import type { PageContent, PageModel } from '../../../display/page-model.js';
import { layoutPage } from '../../../display/views.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import { UiMode } from '../ui-session.js';
import type { BuildContext } from './context.js';
import { buildAttract, buildEmergency, buildHome } from './home.js';
import { buildNotice, buildNotices } from './notices.js';
import { buildSearch, buildService, buildServiceList, buildServices } from './services.js';
import { buildTransit, buildTransitStop } from './transit.js';
import { buildCharging } from './charging.js';
import { buildElderHome, buildElderPlace, buildElderPlaces, buildElderServices } from './elder.js';
import {
  buildFeedback, buildFeedbackCategory, buildFeedbackConfirm, buildFeedbackDone, buildFeedbackProblem, buildTicketLookup, buildTicketResult,
} from './feedback.js';

type Fields = Omit<PageContent, 'lang' | 'clock' | 'pressed' | 'idle'>;

function buildMode(c: BuildContext): Fields | null {
  switch (c.session.mode) {
    case UiMode.Attract: return buildAttract(c);
    case UiMode.Home: return buildHome(c);
    case UiMode.Notices: return buildNotices(c);
    case UiMode.Notice: return buildNotice(c);
    case UiMode.Services: return buildServices(c);
    case UiMode.ServiceList: return buildServiceList(c);
    case UiMode.ServiceSearch: return buildSearch(c);
    case UiMode.Service: return buildService(c);
    case UiMode.Transit: return buildTransit(c);
    case UiMode.TransitStop: return buildTransitStop(c);
    case UiMode.Charging: return buildCharging(c);
    case UiMode.Feedback: return buildFeedback(c);
    case UiMode.FeedbackCategory: return buildFeedbackCategory(c);
    case UiMode.FeedbackProblem: return buildFeedbackProblem(c);
    case UiMode.FeedbackConfirm: return buildFeedbackConfirm(c);
    case UiMode.FeedbackDone: return buildFeedbackDone(c);
    case UiMode.TicketLookup: return buildTicketLookup(c);
    case UiMode.TicketResult: return buildTicketResult(c);
    case UiMode.ElderHome: return buildElderHome(c);
    case UiMode.ElderServices: return buildElderServices(c);
    case UiMode.ElderPlaces: return buildElderPlaces(c);
    case UiMode.ElderPlace: return buildElderPlace(c);
  }
}

export interface BuildOverlay {
  /** An emergency notice pre-empts every page. */
  emergency: StoredNotice | null;
  /** A touch calibration in progress pre-empts every page but an emergency. */
  calibration: { x: number; y: number; index: number; count: number } | null;
  pressed: string | null;
  idle: { secondsLeft: number } | null;
}

export function buildPage(c: BuildContext, o: BuildOverlay): PageModel {
  let fields: Fields | null = o.emergency ? buildEmergency(c, o.emergency)
    : o.calibration ? ({ page: 'calibration', target: o.calibration } as Fields) : buildMode(c);
  while (!fields) {
    c.session.back();
    fields = buildMode(c);
  }
  const overlay = o.emergency !== null || o.calibration !== null;
  const content = { ...fields, lang: c.session.lang, clock: c.clock, pressed: overlay ? null : o.pressed, idle: overlay ? null : o.idle } as PageContent;
  return layoutPage(c.g, content);
}
