/**
 * @module
 * One member or visitor as the console shows them: traits, score now, fit, tier, segment with the
 * reason (`explainSegments`), score history and recent events. Lists are in member-list.ts.
 */
import { currentScore, daysSincePreviousActivity, emptyProfile } from '../../core/profile';
import { tierOf } from '../../core/scoring';
import type { FitReason } from '../../core/fit';
import type { Factor } from '../../core/propensity/model';
import { explainSegments, type SegmentExplanation } from '../../core/segments';
import type { Profile } from '../../core/types';
import type { Tier, Traits } from '../../schema/config';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { parseJsonColumn } from '../../lib/json-column';

export interface MemberEvent {
  id: string;
  type: string;
  at: string;
  url: string | null;
  props: Record<string, string | number | boolean | null>;
  points: number;
  breakdown: { ruleId: string; points: number }[];
  scoreAfter: number;
}

export interface MemberDetail {
  kind: 'member' | 'visitor';
  memberId: string | null;
  /** The anonymous visitor's id (kind `visitor`); members list theirs in `visitorIds`. */
  visitorId: string | null;
  visitorIds: string[];
  traits: Traits;
  score: number;
  /** Fit points from the traits as they are now, and the rules that gave them. */
  fit: number;
  fitReasons: FitReason[];
  /** Each propensity model's probability for this profile now, and the three factors behind it. */
  propensity: { model: string; name: string; event: string; days: number; usable: boolean; probability: number; factors: Factor[] }[];
  tier: Tier;
  segment: { key: string; name: string } | null;
  explanation: SegmentExplanation[];
  lastActiveAt: string | null;
  daysSincePreviousActivity: number | null;
  decayPerDay: number;
  /** Newest first, at most EVENT_LIMIT. */
  events: MemberEvent[];
}

export const EVENT_LIMIT = 200;

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(ms).toISOString());

interface EventDbRow {
  id: string;
  type: string;
  at: number;
  url: string | null;
  props: string;
  points: number;
  breakdown: string;
  score_after: number;
}

const EVENT_COLUMNS = 'id, type, at, url, props, points, breakdown, score_after';

/**
 * One member (by member id) or anonymous visitor (by visitor id; an identified visitor's id
 * opens its member). Null when neither exists.
 * @example const detail = await memberDetail(c.var.svc, 'm-42');
 */
export async function memberDetail(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, id: string): Promise<MemberDetail | null> {
  const { d1, db, now } = ctx;
  const [memberRow, visitorRow] = await d1.batch<Record<string, unknown>>([
    d1.prepare('SELECT id, traits, profile FROM members WHERE id = ?1').bind(id),
    d1
      .prepare(
        'SELECT v.id, v.member_id, v.profile, m.id AS member_row FROM visitors v LEFT JOIN members m ON m.id = v.member_id WHERE v.id = ?1',
      )
      .bind(id),
  ]);
  let memberId: string | null = null;
  let visitorId: string | null = null;
  let profileText: unknown = null;
  let traitsText: unknown = null;
  const m = memberRow?.results[0];
  const v = visitorRow?.results[0];
  if (m) {
    memberId = String(m.id);
    profileText = m.profile;
    traitsText = m.traits;
  } else if (v?.member_row) {
    return memberDetail(ctx, String(v.member_row));
  } else if (v) {
    visitorId = String(v.id);
    profileText = v.profile;
  } else {
    return null;
  }

  const eventsQuery = memberId
    ? d1
        .prepare(
          `SELECT ${EVENT_COLUMNS} FROM events WHERE member_id = ?1
           UNION SELECT ${EVENT_COLUMNS} FROM events WHERE visitor_id IN (SELECT id FROM visitors WHERE member_id = ?1)
           ORDER BY at DESC LIMIT ?2`,
        )
        .bind(memberId, EVENT_LIMIT)
    : d1.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE visitor_id = ?1 ORDER BY at DESC LIMIT ?2`).bind(visitorId, EVENT_LIMIT);
  const [eventsResult, visitorsResult] = await d1.batch<Record<string, unknown>>([
    eventsQuery,
    d1.prepare('SELECT id FROM visitors WHERE member_id = ?1 ORDER BY updated_at DESC LIMIT 50').bind(memberId),
  ]);

  const config = await currentConfig({ d1, db });
  const settings = config.source.scoring.settings;
  const profile: Profile = { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(profileText, {}) };
  const traits = parseJsonColumn<Traits>(traitsText, {});
  const match = { traits, profile, now, settings };
  const explanation = explainSegments(config.segments, match);
  const matched = explanation.find((e) => e.matched);
  const score = currentScore(profile, settings, now);

  return {
    kind: memberId ? 'member' : 'visitor',
    memberId,
    visitorId,
    visitorIds: memberId ? (visitorsResult?.results ?? []).map((r) => String(r.id)) : [],
    traits,
    score,
    fit: config.fit.score(traits),
    fitReasons: config.fit.reasons(traits),
    propensity: [...config.models.values()].map((m) => {
      const features = { profile, traits, now, calendar: config.calendar, fit: config.fit.score(traits) };
      return {
        model: m.model.key,
        name: m.model.name,
        event: m.model.outcome.event,
        days: m.model.outcome.days,
        usable: m.model.verdict.status === 'usable',
        probability: m.probability(features),
        factors: m.factors(features),
      };
    }),
    tier: tierOf(score, settings),
    segment: matched ? { key: matched.key, name: matched.name } : null,
    explanation,
    lastActiveAt: iso(profile.lastActiveAt),
    daysSincePreviousActivity: daysSincePreviousActivity(profile, now),
    decayPerDay: settings.decayPerDay,
    events: ((eventsResult?.results ?? []) as unknown as EventDbRow[]).map((e) => ({
      id: e.id,
      type: e.type,
      at: new Date(e.at).toISOString(),
      url: e.url,
      props: parseJsonColumn(e.props, {}),
      points: e.points,
      breakdown: parseJsonColumn(e.breakdown, []),
      scoreAfter: e.score_after,
    })),
  };
}
