/**
 * City data for the touch screen (docs/datasets.md, docs/mqtt-api.md §Data sets and replies):
 * signed data sets (refused at the door when their content would not show), seed files that only
 * fill what the city has not sent, citizens' feedback with its tickets, and the city's replies.
 * `datasets` emits `changed` when a data set is replaced; the screen refreshes on it.
 */
import type { FeedbackCategoriesData } from '../../protocols/datasets.js';
import { DATASET_NAMES, DATASET_SCHEMAS } from '../../protocols/datasets.js';
import type { Config } from '../config/schema.js';
import type { InboundHandler } from '../inbound-router.js';
import type { ModuleBase } from '../module.js';
import type { StorageModule } from '../storage/module.js';
import type { MessageGate } from '../trust/message-gate.js';
import type { Reporter } from '../uplink/reporter.js';
import { DEFAULT_FEEDBACK_CATEGORIES } from '../feedback/categories.js';
import { FeedbackService } from '../feedback/feedback-service.js';
import { FeedbackStore } from '../feedback/feedback-store.js';
import { ReplyIntake } from '../feedback/reply-intake.js';
import { DataSetIntake } from './dataset-intake.js';
import { DataSetStore } from './dataset-store.js';
import { seedDataSets } from './seed.js';
import { TypedDataSets } from './typed-datasets.js';

export interface CityDataModule {
  /** Emits `changed` with the data set's name. */
  readonly datasets: DataSetStore;
  readonly typed: TypedDataSets;
  readonly feedbackStore: FeedbackStore;
  readonly feedback: FeedbackService;
  /** The feedback categories in force (the city's data set, else the built-in list). */
  categories(): FeedbackCategoriesData;
  /** Handler for `data` messages. */
  onDataSet: InboundHandler<'data'>;
  /** Handler for `reply` messages (the city answering a citizen's ticket). */
  onReply: InboundHandler<'reply'>;
}

export interface CityDataDeps extends Pick<ModuleBase, 'logger' | 'now'> {
  storage: StorageModule;
  gate: MessageGate;
  reporter: Reporter;
}

export function createCityData(config: Readonly<Config>, d: CityDataDeps): CityDataModule {
  const { logger: log, now, reporter, gate } = d;
  const db = d.storage.db;
  const datasets = new DataSetStore(db);
  const feedbackStore = new FeedbackStore(db);
  const datasetIntake = new DataSetIntake({ db, gate, store: datasets, reporter, logger: log, now });
  for (const n of DATASET_NAMES) datasetIntake.setValidator(n, DATASET_SCHEMAS[n]);
  const replyIntake = new ReplyIntake({ db, gate, store: feedbackStore, reporter, logger: log, now });
  if (config.screen.seedDataDir) seedDataSets(datasets, config.screen.seedDataDir, 'seed', log, now());
  const typed = new TypedDataSets(datasets, log, now);
  const categories = (): FeedbackCategoriesData => typed.get('feedback-categories')?.data ?? DEFAULT_FEEDBACK_CATEGORIES;
  const loc = config.pole.location;
  const feedback = new FeedbackService({
    store: feedbackStore, reporter, logger: log, now, categories,
    pole: { id: config.pole.id, address: loc.address, lat: loc.lat, lon: loc.lon, areaCode: loc.areaCode },
  });
  return {
    datasets, typed, feedbackStore, feedback, categories,
    onDataSet: (t, payload, topic) => datasetIntake.handle(topic, t.dataset, t.poleId ? 'pole' : 'all', payload),
    onReply: (t, payload, topic) => replyIntake.handle(topic, t.ticket, payload),
  };
}
