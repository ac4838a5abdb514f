/**
 * @module
 * The alert check on the hot path: which alerts a member's request fires, from the profile
 * before and after its events — in memory, no read beyond the (cached) alert rules. Updates the
 * alert memory carried in the profile and returns the outbox rows to write with it.
 */
import { checkAlerts, type Moment } from '../../core/alerts/trigger';
import { currentScore } from '../../core/profile';
import { tierOf } from '../../core/scoring';
import type { Profile } from '../../core/types';
import type { ScoringSettings, Segment } from '../../schema/config';
import type { ServiceContext } from '../context';
import { newDeliveryId, newToken, type OutboxRow } from './outbox';
import { alertRules } from './rules';

export interface AlertCheckInput {
  configVersion: string;
  settings: ScoringSettings;
  /** The profile as read (before this request's events). */
  before: Profile;
  /** The profile about to be written; its `alerts` memory is updated in place. */
  after: Profile;
  /** The member's segment after the events. */
  segment: Segment | null;
  /** The segment `before` had (computed only if a rule needs it). */
  segmentBefore: () => Segment | null;
  /** The newest event of the request, for the record. */
  eventId: string | null;
  now: number;
}

/**
 * @example
 *   const alerts = await memberAlerts(ctx, {configVersion, settings, before, after: profile, segment, segmentBefore, eventId, now});
 */
export async function memberAlerts(ctx: Pick<ServiceContext, 'db'>, input: AlertCheckInput): Promise<OutboxRow[]> {
  const rules = await alertRules(ctx, input.configVersion);
  const { settings, now, after } = input;
  if (!rules.length) {
    delete after.alerts;
    return [];
  }
  const moment = (p: Profile, segment: Segment | null): Moment => ({
    segment: segment?.key ?? null,
    score: currentScore(p, settings, now),
  });
  const afterMoment = moment(after, input.segment);
  const { memories, fired } = checkAlerts(
    rules,
    input.before.alerts,
    () => moment(input.before, input.segmentBefore()),
    afterMoment,
    settings,
    now,
  );
  after.alerts = memories;
  const snapshot = {
    eventId: input.eventId,
    score: afterMoment.score,
    tier: tierOf(afterMoment.score, settings),
    segment: afterMoment.segment,
  };
  return fired.map((rule) => ({ id: newDeliveryId(), alertId: rule.id, cooldownMs: rule.cooldownMs, token: newToken(), snapshot }));
}
