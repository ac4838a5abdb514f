/**
 * Segment history in the core (cases/segment-history.json): a day's tally of sizes, entries
 * and exits; the experiment outlook (sample sizes as core/stats computes them, checked against
 * the statistics reference); and a member replayed day by day for the backfill.
 */
import { describe, expect, it } from 'vitest';
import { compileConfig } from '../../worker/core/compile';
import { experimentOutlook, replayDays, tally, type SubjectDay } from '../../worker/core/segment-history';
import { siteCalendar } from '../../worker/core/zone';
import { Segment, type SiteConfig } from '../../worker/schema/config';
import demo from '../../db/seed/demo.json';
import cases from './cases/segment-history.json';
import { DEFAULT_SCORING, ms, toEvents } from './helpers';

describe('one day of segment history', () => {
  it('counts sizes, entries and exits; a profile in an unknown segment only leaves it', () => {
    const t = tally(cases.segments);
    for (const s of cases.subjects) t.add(s as SubjectDay);
    expect(t.result()).toEqual(cases.counts);
  });
});

describe('is a segment big enough for an experiment within 28 days?', () => {
  it.each(cases.outlooks)('$name', ({ latest, reach28, baselineCvr, requiredPerArm, daysNeeded, tooSmall }) => {
    expect(experimentOutlook(latest)).toEqual({ reach28, baselineCvr, requiredPerArm, arms: 2, daysNeeded, tooSmall });
  });
});

describe('the backfill replays a profile day by day', () => {
  const config = compileConfig({
    version: '1',
    timeZone: 'Asia/Tokyo',
    scoring: DEFAULT_SCORING,
    categories: [],
    segments: demo.segments.map((s) => Segment.parse(s)),
    slots: [],
    variants: [],
    experiments: [],
  } as SiteConfig);
  const tokyo = siteCalendar('Asia/Tokyo');
  const day = (iso: string) => tokyo.dayOf(ms(iso));

  it('a target member enters hot_lead with a pricing view and leaves it 7 Tokyo days later', () => {
    const traits = { industry: 'SaaS', employees: 120 };
    const events = toEvents([
      { type: 'download', props: { kind: 'whitepaper' }, at: '2026-06-01T01:00:00Z' },
      // 16:00 UTC June 4 is 01:00 June 5 in Tokyo.
      { type: 'page_view', props: { category: 'pricing' }, at: '2026-06-04T16:00:00Z' },
    ]);
    const days = Array.from({ length: 14 }, (_, i) => day('2026-06-01T03:00:00Z') + i);
    const timeline = replayDays(config, traits, events, days);
    const inHot = days
      .filter((_, i) => timeline[i]!.current === 'hot_lead')
      .map((d) => new Date(d * 86_400_000).toISOString().slice(5, 10));
    expect(inHot).toEqual(['06-05', '06-06', '06-07', '06-08', '06-09', '06-10', '06-11']);
    expect(timeline.map((s) => s.active)).toEqual(days.map((d) => d === day('2026-06-01T03:00:00Z') || d === day('2026-06-05T03:00:00Z')));
    expect(timeline[0]!.current).toBeNull();
  });
});
