/**
 * The console's areas, in the order their tables are created and their nav items listed
 * (docs/ops-console.md §Areas). Adding an area is one line here.
 */
import type { Area } from './app.js';
import { coreArea } from './core/area.js';
import { fleetArea } from './fleet/area.js';
import { noticesArea } from './notices/area.js';
import { alertsArea } from './alerts/area.js';
import { inboxArea } from './inbox/area.js';

export const AREAS: readonly Area[] = [
  coreArea,
  fleetArea,
  noticesArea,
  alertsArea,
  inboxArea,
];
