/**
 * Builders for elder mode (docs/screen.md §Elder mode): the hotlines and the four most used
 * services (config `screen.elder.services`, in that fixed order — people find a button where it
 * was last time), all categories as a short list, the places of one, and one place.
 */
import type { ElderHomePage, ElderPlacePage, ElderPlacesPage, ElderServicesPage } from '../../../display/page-model.js';
import { ELDER_CATEGORIES_PER_PAGE, ELDER_HOME_SERVICES, ELDER_PLACES_PER_PAGE } from '../../../display/pages/elder.js';
import { t } from '../../../display/strings.js';
import type { ServicePlace } from '../../../protocols/datasets.js';
import type { BuildContext, Fields } from './context.js';
import { distanceM, distanceText, fill, loc, paginate } from './context.js';
import { openNow } from './services.js';

/** The configured services that exist in the data set, then the data set's others in order, four in all. */
export function elderServices(c: BuildContext): { id: string; name: string }[] {
  const data = c.data.get('services')?.data;
  if (!data) return [];
  const known = new Map(data.categories.map((x) => [x.id, x]));
  const ids = [...new Set([...c.elderServices.filter((id) => known.has(id)), ...data.categories.map((x) => x.id)])].slice(0, ELDER_HOME_SERVICES);
  return ids.map((id) => ({ id, name: loc(known.get(id)!.name, c.session.lang) }));
}

export function buildElderHome(c: BuildContext): Fields<ElderHomePage> {
  const lang = c.session.lang;
  return {
    page: 'elder-home',
    hotline: { number: '12345', label: t(lang, 'cityHotline'), others: t(lang, 'otherHotlines') },
    services: elderServices(c),
  };
}

export function buildElderServices(c: BuildContext): Fields<ElderServicesPage> {
  const data = c.data.get('services')?.data;
  if (!data) return { page: 'elder-services', categories: [], pager: { index: 1, count: 1 }, available: false };
  const cats = data.categories.map((cat) => ({ id: cat.id, name: loc(cat.name, c.session.lang), count: data.places.filter((p) => p.category === cat.id).length }));
  const { items, pager } = paginate(cats, ELDER_CATEGORIES_PER_PAGE, c.session.view.page);
  return { page: 'elder-services', categories: items, pager, available: true };
}

const away = (c: BuildContext, p: ServicePlace) => distanceM(c.pole.lat, c.pole.lon, p.lat, p.lon);

/** null when the category is gone from the data set. */
export function buildElderPlaces(c: BuildContext): Fields<ElderPlacesPage> | null {
  const lang = c.session.lang;
  const data = c.data.get('services')?.data;
  const cat = data?.categories.find((x) => x.id === c.session.view.categoryId);
  if (!data || !cat) return null;
  const places = data.places.filter((p) => p.category === cat.id).sort((a, b) => away(c, a) - away(c, b));
  const { items, pager } = paginate(places, ELDER_PLACES_PER_PAGE, c.session.view.page);
  return {
    page: 'elder-places', title: loc(cat.name, lang), pager, total: places.length,
    items: items.map((p) => ({ id: p.id, name: loc(p.name, lang), address: loc(p.address, lang), distance: distanceText(away(c, p), lang), open: openNow(c, p) })),
  };
}

/** null when the place is gone from the data set. */
export function buildElderPlace(c: BuildContext): Fields<ElderPlacePage> | null {
  const lang = c.session.lang;
  const p = c.data.get('services')?.data.places.find((x) => x.id === c.session.view.placeId);
  if (!p) return null;
  const open = openNow(c, p);
  return {
    page: 'elder-place',
    place: {
      id: p.id, name: loc(p.name, lang), address: loc(p.address, lang), phone: p.phone ?? null,
      hours: open ? `${open} · ${loc(p.hours, lang)}` : loc(p.hours, lang), distance: distanceText(away(c, p), lang, true),
    },
    qr: {
      payload: p.url ?? fill(c.links.mapUrl, { lat: p.lat, lon: p.lon }),
      caption: p.url ? (lang === 'zh' ? '办事指南、预约与导航' : 'Guide, booking and directions') : (lang === 'zh' ? '在手机地图中导航' : 'Directions in your map app'),
    },
  };
}
