/**
 * @module
 * Turns the JSON case tables' readable events (ISO times, `repeat`) into NormalizedEvents and
 * profiles, so the tables document behaviour and the test files stay short.
 */
import type { EventType } from '../../worker/schema/config';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { applyEvents, emptyProfile, type AppliedEvent, type ScoringConfig } from '../../worker/core/profile';
import type { NormalizedEvent, Profile } from '../../worker/core/types';

export interface CaseEvent {
  type: EventType;
  props?: Record<string, unknown>;
  at: string;
  /** Emit this many copies, `everySeconds` apart (a reload script). */
  repeat?: number;
  everySeconds?: number;
}

export interface CaseBatch {
  /** Time the batch is applied; defaults to its latest event. */
  now?: string;
  events: CaseEvent[];
}

export const ms = (iso: string): number => {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`bad time in case table: ${iso}`);
  return t;
};

let seq = 0;
export function toEvents(events: CaseEvent[]): NormalizedEvent[] {
  return events.flatMap((e) =>
    Array.from({ length: e.repeat ?? 1 }, (_, i) => ({
      id: `ev_${++seq}`,
      type: e.type,
      at: ms(e.at) + i * (e.everySeconds ?? 1) * 1000,
      props: e.props ?? {},
    })),
  );
}

export const DEFAULT_SCORING: ScoringConfig = { rules: DEFAULT_SCORING_RULES, settings: DEFAULT_SCORING_SETTINGS };

/**
 * Applies batches in turn (each batch is one request); returns the profile and the last
 * batch's results. Default scoring unless told otherwise.
 */
export function runBatches(
  batches: CaseBatch[],
  retentionDays = 90,
  start: Profile = emptyProfile(),
  scoring: ScoringConfig = DEFAULT_SCORING,
  countedKeys?: ReadonlySet<string>,
): { profile: Profile; applied: AppliedEvent[] } {
  let profile = start;
  let applied: AppliedEvent[] = [];
  for (const batch of batches) {
    const events = toEvents(batch.events);
    const now = batch.now ? ms(batch.now) : Math.max(...events.map((e) => e.at));
    ({ profile, applied } = applyEvents(profile, events, scoring, { now, retentionDays, countedKeys }));
  }
  return { profile, applied };
}
