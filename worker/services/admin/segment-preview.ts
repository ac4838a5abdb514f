/**
 * @module
 * "How many match now?" for a segment rule being edited: the pure core evaluates the rule
 * over the most recently active profiles (members and anonymous visitors). A bounded scan on
 * the admin path only — the hot path never does this.
 */
import { currentScore, emptyProfile } from '../../core/profile';
import { tierOf } from '../../core/scoring';
import { compileSegments } from '../../core/segments';
import type { Profile } from '../../core/types';
import type { Segment, Tier, Traits } from '../../schema/config';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { parseJsonColumn } from '../../lib/json-column';

/** Most profiles one preview reads. */
export const PREVIEW_SCAN_LIMIT = 5000;
const SAMPLE_SIZE = 5;

export interface RulePreviewSample {
  memberId: string | null;
  visitorId: string | null;
  score: number;
  fit: number;
  tier: Tier;
  traits: Traits;
}

export interface RulePreview {
  /** Profiles the rule matches. */
  count: number;
  /** Profiles scanned (the most recently active, at most PREVIEW_SCAN_LIMIT). */
  total: number;
  sample: RulePreviewSample[];
}

interface Row {
  kind: 'member' | 'visitor';
  id: string;
  traits: string | null;
  profile: string | null;
}

const SCAN = `SELECT kind, id, traits, profile FROM (
    SELECT 'member' AS kind, id, traits, profile, last_active_at FROM members
    UNION ALL
    SELECT 'visitor' AS kind, id, NULL AS traits, profile, last_active_at FROM visitors WHERE member_id IS NULL
  ) ORDER BY last_active_at DESC NULLS LAST LIMIT ?1`;

/**
 * @example
 *   await previewRule(c.var.svc, {match: 'all', conditions: [{type: 'score', op: 'gte', value: 80}]})
 *   // {count: 12, total: 340, sample: [...]}
 */
export async function previewRule(
  { d1, db, now }: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  rule: Segment['rule'],
  limit = PREVIEW_SCAN_LIMIT,
): Promise<RulePreview> {
  const config = await currentConfig({ d1, db });
  const settings = config.source.scoring.settings;
  const [compiled] = compileSegments(
    [{ id: 'preview', key: 'preview', name: 'preview', description: '', priority: 0, enabled: true, rule }],
    { fit: config.fit, calendar: config.calendar, models: config.models },
  );
  const { results } = await d1.prepare(SCAN).bind(Math.min(limit, PREVIEW_SCAN_LIMIT)).all<Row>();
  let count = 0;
  const sample: RulePreviewSample[] = [];
  for (const row of results) {
    const profile: Profile = { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(row.profile, {}) };
    const traits = parseJsonColumn<Traits>(row.traits, {});
    if (!compiled!.test({ traits, profile, now, settings })) continue;
    count++;
    if (sample.length < SAMPLE_SIZE) {
      const score = currentScore(profile, settings, now);
      sample.push({
        memberId: row.kind === 'member' ? row.id : null,
        visitorId: row.kind === 'visitor' ? row.id : null,
        score,
        fit: config.fit.score(traits),
        tier: tierOf(score, settings),
        traits,
      });
    }
  }
  return { count, total: results.length, sample };
}
