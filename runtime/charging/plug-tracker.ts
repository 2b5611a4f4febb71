/**
 * Which car is at the connector (docs/charging.md §Which car). The pole numbers every car it sees
 * plugged in (`plugIn`, persisted with the connector), the QR code carries that number, and a
 * payment names it, so a payment made for one car never starts another's session.
 *
 * IEC 61851 basic signalling cannot tell two cars apart, and a car that leaves and a car that
 * arrives while the pole cannot see the controller (field bus out, runtime restarting) show no
 * state A in between. The controller's time-in-state-C counter restarts at every connection: when
 * it reads lower than the pole saw for the car it believes is there, another car is there.
 */
import type { EvChargerReading } from '../../device/fieldbus/units/ev-charger.js';
import { IecState } from '../../protocols/fieldbus/ev-cc-ac1-m3.js';
import type { Authorization, ConnectorStore } from './connector-store.js';
import { chargingError } from './errors.js';

/** The counter is saved when it has run this far past the saved value (not on every poll: flash wear). */
const SAVE_EVERY_SEC = 30;
/** Read-to-read jitter of a whole-second counter. */
const JITTER_SEC = 1;

export interface PlugIn {
  plugIn: number;
  /** The previous car left and this one arrived while the pole was not looking (the counter went back). */
  unseen: boolean;
  /** An authorization paid for an earlier car, now void (dropped in the same write). */
  voided: Authorization | null;
}

export class PlugTracker {
  /** The counter as this process last read it for the current car (0 before the first reading). */
  private seenSec = 0;

  constructor(private readonly store: ConnectorStore, private readonly connector: number) {}

  /** A payment made at car `plugIn` (from the QR code): throws SP_CHARGER_PLUG_CHANGED unless that car is still plugged in. */
  requirePlugged(plugIn: number): void {
    const st = this.store.get(this.connector);
    if (!st.plugged || st.plugIn !== plugIn) throw chargingError('SP_CHARGER_PLUG_CHANGED', { plugIn, pluggedIn: st.plugged ? st.plugIn : null });
  }

  /** Call with every controller reading; returns the new plug-in when a car arrived. */
  observe(r: EvChargerReading): PlugIn | null {
    const st = this.store.get(this.connector);
    if (r.state === IecState.A) {
      if (st.plugged) this.store.set(this.connector, { plugged: false, chargeSec: 0 });
      this.seenSec = 0;
      return null;
    }
    // E (pilot error) and F (EVSE unavailable) say nothing about which car is there.
    if (r.state !== IecState.B && r.state !== IecState.C && r.state !== IecState.D) return null;
    const known = Math.max(this.seenSec, st.chargeSec);
    const unseen = st.plugged && r.stateCSec + JITTER_SEC < known;
    this.seenSec = r.stateCSec;
    if (!st.plugged || unseen) {
      const plugIn = st.plugIn + 1;
      const voided = st.auth?.plugIn !== undefined && st.auth.plugIn !== plugIn ? st.auth : null;
      // A new car is not the one that finished: free vend may start it.
      this.store.set(this.connector, { plugIn, plugged: true, chargeSec: r.stateCSec, finishing: false, ...(voided ? { auth: null } : {}) });
      return { plugIn, unseen, voided };
    }
    if (r.stateCSec >= st.chargeSec + SAVE_EVERY_SEC) this.store.set(this.connector, { chargeSec: r.stateCSec });
    return null;
  }
}
