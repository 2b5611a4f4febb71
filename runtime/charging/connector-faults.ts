/**
 * The pole's own connector faults (docs/charging.md §Connector status), beside the controller's
 * error bits: the meter does not answer (OCPP PowerMeterFailure — without readings the pole cannot
 * bill), and power flows through a connector that should be off (PowerSwitchFailure, confirmed on
 * three readings in a row).
 */
const STUCK_CONFIRM = 3;

export interface FaultInputs {
  meterOffline: boolean;
  /** The meter's last power reading (W), 0 without one. */
  powerW: number;
  /** No session runs, or its stop was asked for over 5 s ago. */
  shouldBeOff: boolean;
  now: number;
}

export class ConnectorFaults {
  private readonly set = new Set<string>();
  private meterFailSince = 0;
  private stuckCount = 0;

  constructor(private readonly relayStuckPowerW: number) {}

  /** Updates from one evaluation; returns true when a stuck relay was just confirmed (raise the alarm once). */
  update(i: FaultInputs): boolean {
    if (i.meterOffline) {
      if (!this.set.has('PowerMeterFailure')) this.meterFailSince = i.now;
      this.set.add('PowerMeterFailure');
    } else this.set.delete('PowerMeterFailure');
    const carrying = i.powerW > this.relayStuckPowerW;
    if (carrying && i.shouldBeOff) {
      if (++this.stuckCount !== STUCK_CONFIRM) return false;
      this.set.add('PowerSwitchFailure');
      return true;
    }
    if (!carrying) {
      this.stuckCount = 0;
      this.set.delete('PowerSwitchFailure');
    }
    return false;
  }

  has(fault: 'PowerMeterFailure' | 'PowerSwitchFailure'): boolean { return this.set.has(fault); }
  get size(): number { return this.set.size; }
  list(): string[] { return [...this.set]; }
  /** How long the meter has not answered (ms), 0 while it answers. */
  meterLostMs(now: number): number { return this.set.has('PowerMeterFailure') ? now - this.meterFailSince : 0; }
}
