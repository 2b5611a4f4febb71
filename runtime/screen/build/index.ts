/**
 * Builds the page model for the session's current view: content from the stores, then layout
 * (hit regions) from display/. A page whose subject has vanished (a notice withdrawn while being
 * read, a place dropped from a new data set) falls back to the page before it.
 */
import type { PageContent, PageModel, PageOf, UiMode } from '../../../display/page-model.js';
import { layoutPage } from '../../../display/views.js';
import type { StoredNotice } from '../../notices/notice-store.js';
import type { BuildContext, Fields } from './context.js';
import { buildAttract, buildEmergency, buildHome } from './home.js';
import { buildNotice, buildNotices } from './notices.js';
import { buildSearch, buildService, buildServiceList, buildServices } from './services.js';
import { buildTransit, buildTransitStop } from './transit.js';
import { buildCharging } from './charging.js';
import { buildElderHome, buildElderPlace, buildElderPlaces, buildElderServices } from './elder.js';
import {
  buildFeedback, buildFeedbackCategory, buildFeedbackConfirm, buildFeedbackDone, buildFeedbackProblem, buildTicketLookup, buildTicketResult,
} from './feedback.js';

type AnyFields = Omit<PageContent, 'lang' | 'clock' | 'pressed' | 'idle'>;

/** Builds one UI mode's page content; null when its subject has vanished. */
type Builder<M extends UiMode> = (c: BuildContext) => Fields<PageOf<M>> | null;

/** Content per UI mode, keyed by the page registry (display/page-model.ts): a page without a builder does not compile. */
const BUILDERS: { readonly [M in UiMode]: Builder<M> } = {
  'attract': buildAttract,
  'home': buildHome,
  'notices': buildNotices,
  'notice': buildNotice,
  'services': buildServices,
  'service-list': buildServiceList,
  'service-search': buildSearch,
  'service': buildService,
  'transit': buildTransit,
  'transit-stop': buildTransitStop,
  'charging': buildCharging,
  'feedback': buildFeedback,
  'feedback-category': buildFeedbackCategory,
  'feedback-problem': buildFeedbackProblem,
  'feedback-confirm': buildFeedbackConfirm,
  'feedback-done': buildFeedbackDone,
  'ticket-lookup': buildTicketLookup,
  'ticket-result': buildTicketResult,
  'elder-home': buildElderHome,
  'elder-services': buildElderServices,
  'elder-places': buildElderPlaces,
  'elder-place': buildElderPlace,
};

function buildMode(c: BuildContext): AnyFields | null {
  return (BUILDERS[c.session.mode] as Builder<UiMode>)(c);
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
  let fields: AnyFields | null = o.emergency ? buildEmergency(c, o.emergency)
    : o.calibration ? ({ page: 'calibration', target: o.calibration } as AnyFields) : buildMode(c);
  while (!fields) {
    c.session.back();
    fields = buildMode(c);
  }
  const overlay = o.emergency !== null || o.calibration !== null;
  const content = { ...fields, lang: c.session.lang, clock: c.clock, pressed: overlay ? null : o.pressed, idle: overlay ? null : o.idle } as PageContent;
  return layoutPage(c.g, content);
}
