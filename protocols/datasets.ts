/**
 * Data sets for the query UI (docs/datasets.md): what `data` holds in each data set the city pushes on
 * `data/{name}` / `poles/{id}/data/{name}` (delivered signed over MQTT, docs/mqtt-api.md §Data sets
 * and replies; the simulator seeds the Wuhan sample). docs/datasets.md documents every field with an
 * example. The screen validates on read: a data set that does not match its schema is treated as
 * absent and reported once.
 */
import { z } from 'zod';
import { IsoDateTime } from './time.js';
import { DataSetPayload } from './dataset.js';

export const DATASET_NAMES = ['services', 'transit', 'weather', 'feedback-categories'] as const;
export type DataSetName = (typeof DATASET_NAMES)[number];

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'lower-case id: a–z 0–9 . _ -');
/** Text in Chinese, optionally English (the screen falls back to Chinese). */
export const Text = z.object({ zh: z.string().trim().min(1).max(500), en: z.string().trim().min(1).max(1000).optional() });
export type Text = z.infer<typeof Text>;
const HhMm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');
const Lat = z.number().min(-90).max(90);
const Lon = z.number().min(-180).max(180);

/** Weekly opening hours; `days` are ISO weekdays (1 = Monday), local pole time. */
export const OpeningWindow = z.object({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: HhMm, to: HhMm });

export const ServicePlace = z.object({
  id: Id,
  category: Id,
  name: Text,
  address: Text,
  /** Hours as people read them, e.g. "周一至周五 9:00–17:00". */
  hours: Text,
  /** The same hours as data, for "open now" (optional). */
  opening: z.array(OpeningWindow).max(14).optional(),
  phone: z.string().max(40).optional(),
  lat: Lat,
  lon: Lon,
  /** Words people search for, e.g. 护照, 港澳通行证; matched by pinyin initials (hz) and full pinyin. */
  keywords: z.array(z.string().trim().min(1).max(20)).max(30).default([]),
  /** Link for the QR code (booking, guide, map); defaults to a map link to the coordinates. */
  url: z.string().url().max(300).optional(),
  note: Text.optional(),
});
export type ServicePlace = z.infer<typeof ServicePlace>;

export const ServicesData = z.object({
  categories: z.array(z.object({ id: Id, name: Text })).min(1).max(50),
  places: z.array(ServicePlace).max(1000),
}).superRefine((d, ctx) => {
  const ids = new Set(d.categories.map((c) => c.id));
  d.places.forEach((p, i) => {
    if (!ids.has(p.category)) ctx.addIssue({ code: 'custom', path: ['places', i, 'category'], message: `unknown category "${p.category}"` });
  });
});
export type ServicesData = z.infer<typeof ServicesData>;

export const TransitLine = z.object({
  /** Route number as on the bus, e.g. "402" or "轨道7号线". */
  line: z.string().trim().min(1).max(16),
  /** How the route is called on screen, e.g. {zh: "402路", en: "Bus 402"}; defaults to `line`. */
  name: Text.optional(),
  toward: Text,
  firstBus: HhMm,
  lastBus: HhMm,
  headwayMin: z.number().int().min(1).max(240),
  /** Live predictions from the bus operator's feed; shown while the data set is fresh. */
  arrivals: z.array(z.object({ at: IsoDateTime, stopsAway: z.number().int().min(0).max(99).optional() })).max(10).default([]),
});
export type TransitLine = z.infer<typeof TransitLine>;

export const TransitStop = z.object({ id: Id, name: Text, lat: Lat, lon: Lon, lines: z.array(TransitLine).min(1).max(30) });
export type TransitStop = z.infer<typeof TransitStop>;

export const TransitData = z.object({
  /** When the arrivals were predicted; live arrivals older than 5 minutes are not shown as live. */
  updatedAt: IsoDateTime,
  stops: z.array(TransitStop).max(100),
});
export type TransitData = z.infer<typeof TransitData>;

export const WeatherCondition = z.enum(['sunny', 'partly-cloudy', 'cloudy', 'overcast', 'rain', 'thunderstorm', 'snow', 'fog', 'haze']);

export const WeatherData = z.object({
  observedAt: IsoDateTime,
  condition: WeatherCondition,
  text: Text,
  tempC: z.number().min(-50).max(60),
  highC: z.number().min(-50).max(60).optional(),
  lowC: z.number().min(-50).max(60).optional(),
  humidityPct: z.number().min(0).max(100).optional(),
  wind: Text.optional(),
  aqi: z.object({ value: z.number().int().min(0).max(999), level: Text }).optional(),
});
export type WeatherData = z.infer<typeof WeatherData>;

export const FeedbackCategoriesData = z.object({
  categories: z.array(z.object({
    id: Id,
    name: Text,
    problems: z.array(z.object({ id: Id, name: Text })).min(1).max(8),
  })).min(1).max(8),
});
export type FeedbackCategoriesData = z.infer<typeof FeedbackCategoriesData>;

export const DATASET_SCHEMAS = {
  'services': ServicesData,
  'transit': TransitData,
  'weather': WeatherData,
  'feedback-categories': FeedbackCategoriesData,
} as const satisfies Record<DataSetName, z.ZodType>;

/**
 * A data set file as shipped for seeding: exactly the payload a signed data set carries on MQTT
 * (protocols/dataset.ts DataSetPayload), `id` being the data set's name.
 */
export const DataSetFile = DataSetPayload.extend({ id: z.enum(DATASET_NAMES) });
export type DataSetFile = z.infer<typeof DataSetFile>;
