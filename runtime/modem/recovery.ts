/**
 * The recovery ladder (docs/protocols/modem.md §Recovery): what to try when the modem
 * is not online for a reason a step can fix, in rising order of cost —
 * re-query → re-attach the data context → AT+CFUN=1,1 (repeated `resetsBeforePowerCycle` times) →
 * hard power cycle through the pole's GPIO hook. Every step waits an exponential backoff first
 * (never a tight loop), and the ladder starts from the bottom again only after the modem has been
 * online for `stableMs`. Pure: the service owns the timers.
 */
import { Backoff } from '../../protocols/backoff.js';

export type RecoveryStep = 'requery' | 'reattach' | 'reset' | 'power-cycle';

export type Problem =
  | 'hung' // port open, no answers
  | 'stuck' // probing / SIM check that never completes
  | 'absent' // AT port missing outside a reset
  | 'data' // registered, data context will not come up or passes no traffic
  | 'no-service' // a cell in sight but not registered after the registration timeout
  | 'no-coverage' // no cell at all: waiting is all that helps
  | 'denied' // the network refused registration
  | 'sim' // SIM missing or failing (a reboot re-detects it)
  | 'sim-locked'; // PIN/PUK needed: a technician must act

interface Ladder {
  steps: RecoveryStep[];
  /** Repeated once the steps are used up (null: nothing more to do but report). */
  then: RecoveryStep | null;
}

/** Per problem: the steps in order ('reset' expands to N resets), then the step that repeats. */
export const LADDERS: Readonly<Record<Problem, Ladder>> = Object.freeze({
  hung: { steps: ['reset', 'power-cycle'], then: 'power-cycle' },
  stuck: { steps: ['requery', 'reset', 'power-cycle'], then: 'power-cycle' },
  absent: { steps: ['power-cycle'], then: 'power-cycle' },
  data: { steps: ['requery', 'reattach', 'reset', 'power-cycle'], then: 'reset' },
  'no-service': { steps: ['requery', 'reattach', 'reset', 'power-cycle'], then: 'reattach' },
  'no-coverage': { steps: ['requery'], then: 'requery' },
  denied: { steps: ['requery', 'reattach', 'reset'], then: 'requery' },
  sim: { steps: ['requery', 'reset'], then: 'requery' },
  'sim-locked': { steps: [], then: null },
});

export interface PlannedStep {
  step: RecoveryStep;
  /** Wait before running it. */
  delayMs: number;
  /** Steps taken in this incident before this one. */
  level: number;
  problem: Problem;
}

export interface RecoveryOptions {
  resetsBeforePowerCycle: number;
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

export type RecoveryCounters = Record<RecoveryStep, number> & { incidents: number; recovered: number };

export class RecoveryLadder {
  /** Steps taken since the modem was last stable. */
  level = 0;
  /** When the current incident's first step was planned. */
  incidentSince: number | null = null;
  readonly taken: RecoveryStep[] = [];
  readonly counters: RecoveryCounters = { requery: 0, reattach: 0, reset: 0, 'power-cycle': 0, incidents: 0, recovered: 0 };
  private readonly backoff: Backoff;

  constructor(private readonly o: RecoveryOptions) {
    this.backoff = new Backoff({ initialMs: o.initialMs, maxMs: o.maxMs, factor: 2, jitter: 0.2, random: o.random });
  }

  /** The steps of a problem's ladder with resets expanded. */
  stepsFor(problem: Problem): RecoveryStep[] {
    return LADDERS[problem].steps.flatMap((s) => (s === 'reset' ? Array<RecoveryStep>(Math.max(1, this.o.resetsBeforePowerCycle)).fill('reset') : [s]));
  }

  /** The next step for `problem`, or null when nothing automatic can help. Advances the ladder. */
  plan(problem: Problem, now: number): PlannedStep | null {
    const steps = this.stepsFor(problem);
    const step = this.level < steps.length ? steps[this.level]! : LADDERS[problem].then;
    if (!step) return null;
    if (this.incidentSince === null) {
      this.incidentSince = now;
      this.counters.incidents++;
    }
    const planned = { step, delayMs: this.backoff.next(), level: this.level, problem };
    this.level++;
    return planned;
  }

  /** A step is about to run (manual steps included). */
  record(step: RecoveryStep): void {
    this.counters[step]++;
    this.taken.push(step);
    if (this.taken.length > 20) this.taken.shift();
  }

  /** Online again after an incident: returns what it took, or null if there was no incident. */
  online(now: number): { durationMs: number; steps: RecoveryStep[] } | null {
    if (this.incidentSince === null) return null;
    const r = { durationMs: now - this.incidentSince, steps: this.taken.slice(-this.level) };
    this.counters.recovered++;
    this.incidentSince = null;
    return r;
  }

  /** Online for `stableMs`: the next incident starts from the bottom with the shortest wait. */
  stable(): void {
    this.level = 0;
    this.taken.length = 0;
    this.backoff.succeeded();
  }
}
