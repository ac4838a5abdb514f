import { describe, expect, it } from 'vitest';
import { segmentTraits, traitWarnings, type TraitStat } from '../../worker/core/trait-quality';
import type { Segment } from '../../worker/schema/config';
import table from './cases/trait-quality.json';

const segments = table.segments as Segment[];

describe('trait quality', () => {
  it('finds the traits a rule reads, nested groups included', () => {
    expect(segmentTraits(segments[0]!.rule)).toEqual(['employees', 'industry']);
  });

  it.each(table.cases)('$name', ({ members, stats, warnings }) => {
    const full: TraitStat[] = stats.map((s) => ({ ...s, members: Math.round(s.share * members), distinct: 1, top: [] }));
    expect(traitWarnings(segments, full, members).map(({ segment, trait, share }) => ({ segment, trait, share }))).toEqual(warnings);
  });
});
