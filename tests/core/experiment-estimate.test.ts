/**
 * How long an experiment will take (worker/core/experiment-estimate.ts): a table of traffic,
 * arms and earlier results against days needed, with the required sample checked against
 * values computed independently (scipy), not by the module under test.
 */
import { describe, expect, it } from 'vitest';
import { estimateExperiment, type EstimateInput } from '../../worker/core/experiment-estimate';
import type { Experiment } from '../../worker/schema/config';
import table from './cases/experiment-estimate.json';

interface Case {
  label: string;
  arms: [string, number][];
  /** [id, slot, segment, goal event type] */
  others?: [string, string, string, string][];
  /** experiment → [first day, number of days, new visitors each day][] */
  enrollment?: Record<string, [number, number, number][]>;
  /** [experiment, arm, visitors, conversions] */
  counts?: [string, string, number, number][];
  /** [day, active] */
  activity?: [number, number][];
  want: Record<string, unknown>;
}
const cases = table.cases as unknown as Case[];

const plan = (id: string, slot: string, segment: string, eventType: string, arms: [string, number][] = []) =>
  ({
    id,
    slot,
    segment,
    goal: { eventType },
    arms: arms.map(([key, weight]) => ({ key, weight, variant: key === 'control' ? null : `v_${key}` })),
  }) as unknown as Experiment;

function input(c: Case): EstimateInput {
  const experiment = plan('exp_x', 'hero', 'consideration', 'form_inquiry', c.arms);
  return {
    experiment,
    experiments: [experiment, ...(c.others ?? []).map(([id, slot, segment, goal]) => plan(id, slot, segment, goal))],
    enrollment: Object.entries(c.enrollment ?? {}).flatMap(([exp, runs]) =>
      runs.flatMap(([from, days, n]) => Array.from({ length: days }, (_, i) => ({ experiment: exp, day: from + i, n }))),
    ),
    activity: (c.activity ?? []).map(([day, active]) => ({ day, active })),
    counts: (c.counts ?? []).map(([experiment, arm, visitors, conversions]) => ({ experiment, arm, visitors, conversions })),
  };
}

describe('estimateExperiment', () => {
  it.each(cases)('$label', (c) => {
    expect(estimateExperiment(input(c))).toMatchObject(c.want);
  });

  it('days are enough for every arm, and one day fewer is not', () => {
    const c = cases[2]!;
    const e = estimateExperiment(input(c));
    for (const arm of e.arms) {
      expect(arm.share * e.perDay! * e.daysNeeded!).toBeGreaterThanOrEqual(arm.remaining);
    }
    expect(Math.min(...e.arms.map((a) => a.share * e.perDay! * (e.daysNeeded! - 1) - a.remaining))).toBeLessThan(0);
  });
});
