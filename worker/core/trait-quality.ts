/**
 * @module
 * Trait quality: which traits the segments read, and where a segment depends on a trait that
 * most members lack (seed 004: "industry" missing for most of the list, so a segment on it
 * starves). The counts come from the database; the judgement is here.
 */
import type { Condition, Segment } from '../schema/config';

export interface TraitStat {
  key: string;
  /** Members with a value (not missing, not empty text). */
  members: number;
  /** members / all members (0 when there are none). */
  share: number;
  distinct: number;
  top: { value: string; members: number }[];
}

export interface TraitWarning {
  segment: string;
  segmentName: string;
  trait: string;
  share: number;
}

/** Below this share of members with a value, a segment reading the trait gets a warning. */
export const LOW_SHARE = 0.5;

function collect(conditions: readonly Condition[], into: Set<string>): void {
  for (const c of conditions) {
    if (c.type === 'trait') into.add(c.trait);
    else if (c.type === 'group') collect(c.conditions, into);
  }
}

/**
 * Every trait key a rule's conditions read, nested groups included.
 * @example segmentTraits({match: 'all', conditions: [{type: 'trait', trait: 'industry', op: 'exists'}]}) // ['industry']
 */
export function segmentTraits(rule: { conditions: readonly Condition[] }): string[] {
  const keys = new Set<string>();
  collect(rule.conditions, keys);
  return [...keys].sort();
}

/**
 * A warning per (enabled segment, trait it reads) where fewer than `LOW_SHARE` of members have
 * the trait, lowest share first. With no members at all there is nothing to warn about.
 * @example traitWarnings(segments, [{key: 'industry', share: 0.2, …}], 1000)[0] // {segment: 'hot_lead', trait: 'industry', share: 0.2, …}
 */
export function traitWarnings(segments: readonly Segment[], stats: readonly TraitStat[], totalMembers: number): TraitWarning[] {
  if (totalMembers === 0) return [];
  const share = new Map(stats.map((s) => [s.key, s.share]));
  const out: TraitWarning[] = [];
  for (const segment of segments) {
    if (segment.enabled === false) continue;
    for (const trait of segmentTraits(segment.rule)) {
      const s = share.get(trait) ?? 0;
      if (s < LOW_SHARE) out.push({ segment: segment.key, segmentName: segment.name, trait, share: s });
    }
  }
  return out.sort((a, b) => a.share - b.share || a.segment.localeCompare(b.segment) || a.trait.localeCompare(b.trait));
}
