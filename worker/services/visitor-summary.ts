/**
 * @module
 * A visitor as the admin sees it (docs/api.md#http-api `GET /api/visitors/:visitorId`): score as of now
 * with decay applied, tier and segment. Also used by the demo page's status panel.
 */
import { currentScore } from '../core/profile';
import { resolveSegment } from '../core/segments';
import { tierOf } from '../core/scoring';
import type { VisitorSummary } from '../schema/api';
import { getConfig } from './config-store';
import type { ServiceContext } from './context';
import { readVisitorState } from './profile-store';

/**
 * @example const summary = await visitorSummary(c.var.svc, 'v_abc…'); // null when the visitor is unknown
 */
export async function visitorSummary(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, visitorId: string): Promise<VisitorSummary | null> {
  const { now } = ctx;
  const state = await readVisitorState(ctx, visitorId, []);
  if (!state.visitorExists) return null;
  const config = await getConfig(ctx, state.configVersion);
  const settings = config.source.scoring.settings;
  const score = currentScore(state.profile, settings, now);
  const segment = resolveSegment(config.segments, { traits: state.traits, profile: state.profile, now, settings });
  return {
    visitorId,
    memberId: state.memberId,
    traits: state.traits,
    score,
    fit: config.fit.score(state.traits),
    tier: tierOf(score, settings),
    segment: segment?.key ?? null,
    lastActiveAt: state.profile.lastActiveAt === null ? null : new Date(state.profile.lastActiveAt).toISOString(),
  };
}
