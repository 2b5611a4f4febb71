/** The kid → key map from config (runtime/trust/key-ring.ts keeps it with the applied trust list). */
export { trustedKeys } from './key-ring.js';
