/**
 * @module
 * Types shared by the pure core. No I/O lives here or in any `worker/core` module.
 */
import type { EventType, Scalar, Traits } from '../schema/config';
import type { AlertMemories } from './alerts/trigger';

/** Milliseconds since the epoch. */
export type Millis = number;
/**
 * Whole days since the epoch in the site's time zone (core/zone.ts): the local date `d` days
 * after 1970-01-01. For UTC, `Math.floor(ms / 86_400_000)`.
 */
export type DayNumber = number;

export const DAY_MS = 86_400_000;
/** The arm that shows the page's default content (the holdout every experiment compares against). */
export const CONTROL_ARM = 'control';
/** The console's and the reports' languages. */
export type Lang = 'ja' | 'en';
/** A gap longer than this starts a new visit (the usual web-analytics session). */
export const VISIT_GAP_MS = 30 * 60_000;

/** An event after validation: time resolved, category filled in from URL rules when absent. */
export interface NormalizedEvent {
  id: string;
  type: EventType;
  at: Millis;
  url?: string;
  props: Record<string, unknown>;
}

/** One experiment the profile has been exposed to (kept so a goal event can credit it without a read). */
export interface ProfileExposure {
  arm: string;
  at: Millis;
  /** Visitor id the exposure was recorded under (the bucketing unit). */
  vid: string;
}

/**
 * The compact behaviour profile of a visitor or member, stored as one JSON column.
 * Scores decay lazily: `score` is the value at `lastActiveAt`; read it through `decayedScore`.
 */
export interface Profile {
  score: number;
  lastActiveAt: Millis | null;
  /** Start of the current visit (events closer than VISIT_GAP_MS belong to one visit). */
  visitStartedAt: Millis | null;
  /** Last activity before the current visit started: "days since previous activity" reads this. */
  prevActiveAt: Millis | null;
  /**
   * Time zone the day numbers of `days`, `caps` and `capsFrom` are in (an IANA name); absent =
   * UTC. Re-keyed when the site's zone differs (core/rezone.ts).
   */
  zone?: string;
  /** Daily counters: site day number → counter key → count. Pruned past the retention window. */
  days: Record<string, Record<string, number>>;
  /** Lifetime counters: counter key → count. */
  totals: Record<string, number>;
  /**
   * Daily-cap ledger: site day → scoring rule id → points that rule added on that day. Kept per
   * event day (not just the latest), so an event arriving days late in a later request is
   * still capped against everything its day already earned. Pruned with `days`.
   */
  caps: Record<string, Record<string, number>>;
  /**
   * First day the ledger is complete from: once a day's ledger has been dropped (pruned, or
   * trimmed for size) what that day earned is unknown, so capped rules add nothing for events
   * dated before this day. `null`: no ledger has ever been dropped.
   */
  capsFrom: DayNumber | null;
  /**
   * Profiles stored by earlier versions kept one day's ledger only. Read once (into `caps`)
   * and dropped on the next write; never written.
   */
  capDay?: DayNumber | null;
  capPoints?: Record<string, number>;
  /** Experiment id → first exposure. */
  exposures: Record<string, ProfileExposure>;
  /** Experiment ids this profile has already converted in. */
  converted: string[];
  /**
   * Members only: per alert, whether the member is in its condition and when it last fired
   * (core/alerts/trigger.ts), so an entry fires once and the hot path needs no extra read.
   */
  alerts?: AlertMemories;
}

export type { EventType, Scalar, Traits };
