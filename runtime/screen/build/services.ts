/** Builders for the services directory: categories, a list of places, the search, one place. */
import type { PlaceListItem, ServiceListPage, ServicePage, ServiceSearchPage, ServicesPage } from '../../../display/page-model.js';
import { CATEGORIES_PER_PAGE, PLACES_PER_PAGE } from '../../../display/pages/services.js';
import { SEARCH_KEYS, SEARCH_RESULTS_SHOWN } from '../../../display/pages/search.js';
import type { ServicePlace, ServicesData } from '../../../protocols/datasets.js';
import type { BuildContext, Fields } from './context.js';
import { distanceM, distanceText, fill, hhmm, loc, localWeekMinute, paginate } from './context.js';

function placeDistance(c: BuildContext) {
  return (p: ServicePlace) => distanceM(c.pole.lat, c.pole.lon, p.lat, p.lon);
}

/** "开放中 Open" / "已关闭 Closed" from structured opening hours; null when unknown. */
export function openNow(c: BuildContext, p: ServicePlace): string | null {
  if (!p.opening?.length) return null;
  const { weekday, minute } = localWeekMinute(c.now, c.timeZone);
  const open = p.opening.some((w) => w.days.includes(weekday) && minute >= hhmm(w.from) && minute < hhmm(w.to));
  return c.session.lang === 'zh' ? (open ? '开放中' : '已关闭') : open ? 'Open now' : 'Closed';
}

function listItem(c: BuildContext, p: ServicePlace): PlaceListItem {
  const lang = c.session.lang;
  return { id: p.id, name: loc(p.name, lang), address: loc(p.address, lang), distance: distanceText(placeDistance(c)(p), lang), open: openNow(c, p) };
}

function byDistance(c: BuildContext, places: ServicePlace[]): ServicePlace[] {
  const d = placeDistance(c);
  return [...places].sort((a, b) => d(a) - d(b));
}

export function buildServices(c: BuildContext): Fields<ServicesPage> {
  const data = c.data.get('services')?.data;
  if (!data) return { page: 'services', categories: [], pager: { index: 1, count: 1 }, available: false };
  const cats = data.categories.map((cat) => ({ id: cat.id, name: loc(cat.name, c.session.lang), count: data.places.filter((p) => p.category === cat.id).length }));
  const { items, pager } = paginate(cats, CATEGORIES_PER_PAGE, c.session.view.page);
  return { page: 'services', categories: items, pager, available: true };
}

function searchResults(c: BuildContext, data: ServicesData, query: string): ServicePlace[] {
  return c.search.search(data, query, placeDistance(c)).map((h) => h.place);
}

export function buildServiceList(c: BuildContext): Fields<ServiceListPage> {
  const lang = c.session.lang;
  const data = c.data.get('services')?.data;
  const v = c.session.view;
  let title = '';
  let places: ServicePlace[] = [];
  if (data && v.searchQuery !== undefined) {
    title = lang === 'zh' ? `搜索 “${v.searchQuery.toUpperCase()}”` : `Search "${v.searchQuery.toUpperCase()}"`;
    places = searchResults(c, data, v.searchQuery);
  } else if (data) {
    const cat = data.categories.find((x) => x.id === v.categoryId);
    title = cat ? loc(cat.name, lang) : '';
    places = byDistance(c, data.places.filter((p) => p.category === v.categoryId));
  }
  const { items, pager } = paginate(places, PLACES_PER_PAGE, v.page);
  return { page: 'service-list', title, items: items.map((p) => listItem(c, p)), pager, total: places.length };
}

export function buildSearch(c: BuildContext): Fields<ServiceSearchPage> {
  const data = c.data.get('services')?.data;
  const results = data ? searchResults(c, data, c.session.query) : [];
  return { page: 'service-search', query: c.session.query, results: results.slice(0, SEARCH_RESULTS_SHOWN).map((p) => listItem(c, p)), total: results.length, keys: SEARCH_KEYS };
}

/** null when the place is no longer in the data set. */
export function buildService(c: BuildContext): Fields<ServicePage> | null {
  const lang = c.session.lang;
  const data = c.data.get('services')?.data;
  const p = data?.places.find((x) => x.id === c.session.view.placeId);
  if (!data || !p) return null;
  const cat = data.categories.find((x) => x.id === p.category);
  const open = openNow(c, p);
  return {
    page: 'service',
    place: {
      id: p.id, name: loc(p.name, lang), category: cat ? loc(cat.name, lang) : '',
      address: loc(p.address, lang), hours: open ? `${open} · ${loc(p.hours, lang)}` : loc(p.hours, lang), phone: p.phone ?? null,
      distance: distanceText(placeDistance(c)(p), lang, true), note: p.note ? loc(p.note, lang) : null,
    },
    qr: {
      payload: p.url ?? fill(c.links.mapUrl, { lat: p.lat, lon: p.lon }),
      caption: p.url ? (lang === 'zh' ? '办事指南、预约与导航' : 'Guide, booking and directions') : (lang === 'zh' ? '在手机地图中导航' : 'Directions in your map app'),
    },
  };
}
