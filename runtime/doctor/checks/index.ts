/**
 * Every check `smartpole doctor` runs, in order. A new check is one more entry in the table of its
 * area (host.ts for the pole's computer and its other services, devices.ts, credentials.ts,
 * broker.ts); a new area is a new file listed here.
 */
import type { DoctorCheck } from '../finding.js';
import { BROKER_CHECKS } from './broker.js';
import { CREDENTIAL_CHECKS } from './credentials.js';
import { DEVICE_CHECKS } from './devices.js';
import { HOST_CHECKS } from './host.js';

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [...HOST_CHECKS, ...DEVICE_CHECKS, ...CREDENTIAL_CHECKS, ...BROKER_CHECKS];
