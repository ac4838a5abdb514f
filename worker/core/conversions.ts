/**
 * @module
 * Experiment conversions: a goal event at or after a profile's first exposure to an experiment
 * converts it once. The profile mirrors its exposures (experiment → arm, time, visitor id), so
 * crediting needs no read of the exposures table. Pure.
 */
import type { Experiment } from '../schema/config';
import type { Millis, NormalizedEvent, Profile } from './types';
import { UTC_CALENDAR, type SiteCalendar } from './zone';

/** A conversion to store: the visitor that was exposed, its arm, and the goal event. */
export interface Conversion {
  experiment: string;
  vid: string;
  arm: string;
  eventId: string;
  at: Millis;
  /** The site's day of `at`, for results by day. */
  day: number;
  value: number | null;
}

/**
 * Credits every running or paused experiment the profile was exposed to and has not converted
 * in, with the earliest goal event at or after the exposure. Returns the profile with those
 * experiments marked converted, and the conversions to store.
 * @example
 *   creditConversions(profile, [{id: 'e9', type: 'form_inquiry', at: now, props: {form: 'c'}}], experimentsById)
 *   // {profile: {...converted: ['exp_1']}, conversions: [{experiment: 'exp_1', arm: 'case_a', …}]}
 */
export function creditConversions(
  profile: Profile,
  events: NormalizedEvent[],
  experimentsById: ReadonlyMap<string, Experiment>,
  calendar: SiteCalendar = UTC_CALENDAR,
): { profile: Profile; conversions: Conversion[] } {
  const conversions: Conversion[] = [];
  const entries = Object.entries(profile.exposures);
  if (!entries.length || !events.length) return { profile, conversions };
  const converted = new Set(profile.converted);
  for (const [experimentId, exposure] of entries) {
    if (converted.has(experimentId)) continue;
    const exp = experimentsById.get(experimentId);
    if (!exp || exp.status === 'stopped' || exp.status === 'draft') continue;
    const hit = events
      .filter((e) => e.type === exp.goal.eventType && (exp.goal.goal === null || e.props.goal === exp.goal.goal))
      .filter((e) => e.at >= exposure.at)
      .sort((a, b) => a.at - b.at)[0];
    if (!hit) continue;
    converted.add(experimentId);
    conversions.push({
      experiment: experimentId,
      vid: exposure.vid,
      arm: exposure.arm,
      eventId: hit.id,
      at: hit.at,
      day: calendar.dayOf(hit.at),
      value: typeof hit.props.value === 'number' ? hit.props.value : null,
    });
  }
  return { profile: { ...profile, converted: [...converted] }, conversions };
}
