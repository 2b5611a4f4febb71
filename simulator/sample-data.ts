import { join } from 'node:path';
import { packageRoot } from '../runtime/version.js';

/** The Wuhan sample data sets shipped for the simulator (docs/datasets.md). */
export const SAMPLE_DIR = join(packageRoot(), 'simulator', 'data', 'wuhan');
