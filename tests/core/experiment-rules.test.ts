/** The experiment rules (worker/core/experiment-rules.ts): transitions, plan checks, one running test per slot × segment. */
import { describe, expect, it } from 'vitest';
import {
  changeStatus,
  isEditable,
  planProblem,
  runningRival,
  STATUS_TRANSITIONS,
  type ExperimentStatus,
} from '../../worker/core/experiment-rules';
import type { Experiment, SiteConfig } from '../../worker/schema/config';

const config = {
  slots: [{ key: 'hero', name: '' }],
  segments: [{ key: 'consideration' }, { key: 'hot_lead' }],
  variants: [
    { id: 'v_cons', slot: 'hero', segment: 'consideration' },
    { id: 'v_hot', slot: 'hero', segment: 'hot_lead' },
  ],
  experiments: [{ id: 'exp_running', status: 'running', slot: 'hero', segment: 'consideration', name: 'A' }],
} as unknown as SiteConfig;

const arms = (...a: [string, string | null][]) => a.map(([key, variant]) => ({ key, variant, weight: 0.5 }));
const experiment = (status: ExperimentStatus, over: Partial<Experiment> = {}) =>
  ({
    id: 'exp_1',
    name: 'x',
    slot: 'hero',
    segment: 'consideration',
    status,
    startedAt: null,
    stoppedAt: null,
    arms: [],
    ...over,
  }) as unknown as Experiment;

describe('planProblem', () => {
  it.each([
    ['a valid plan', { slot: 'hero', segment: 'consideration', arms: arms(['control', null], ['case_a', 'v_cons']) }, null],
    ['an unknown slot', { slot: 'footer', segment: 'consideration', arms: [] }, { path: ['slot'], reason: 'unknown' }],
    ['an unknown segment', { slot: 'hero', segment: 'nope', arms: [] }, { path: ['segment'], reason: 'unknown' }],
    [
      'a control with content',
      { slot: 'hero', segment: 'consideration', arms: arms(['control', 'v_cons']) },
      { path: ['arms', 0, 'variant'], reason: 'control_has_variant' },
    ],
    [
      'an arm without content',
      { slot: 'hero', segment: 'consideration', arms: arms(['control', null], ['case_a', null]) },
      { path: ['arms', 1, 'variant'], reason: 'required' },
    ],
    [
      'an unknown variant',
      { slot: 'hero', segment: 'consideration', arms: arms(['case_a', 'gone']) },
      { path: ['arms', 0, 'variant'], reason: 'unknown' },
    ],
    [
      'another segment’s variant',
      { slot: 'hero', segment: 'consideration', arms: arms(['case_a', 'v_hot']) },
      { path: ['arms', 0, 'variant'], reason: 'variant_mismatch' },
    ],
  ])('%s', (_label, plan, want) => {
    const p = planProblem(config, plan as Parameters<typeof planProblem>[1]);
    if (want === null) expect(p).toBeNull();
    else expect(p).toMatchObject(want);
  });
});

describe('changeStatus', () => {
  const now = '2026-12-01T00:00:00.000Z';
  const all: ExperimentStatus[] = ['draft', 'running', 'paused', 'stopped'];
  it.each(all.flatMap((from) => all.filter((to) => to !== from).map((to) => [from, to] as const)))(
    '%s → %s follows the table',
    (from, to) => {
      const out = changeStatus(experiment(from), to, now);
      expect('experiment' in out).toBe(STATUS_TRANSITIONS[from].includes(to));
      if ('problem' in out) expect(out.problem).toMatchObject({ reason: 'transition', params: { from, to } });
    },
  );

  it('a resumed experiment keeps its first start; stopping stamps the end', () => {
    const paused = experiment('paused', { startedAt: '2026-11-01T00:00:00.000Z' });
    const resumed = changeStatus(paused, 'running', now);
    expect('experiment' in resumed && resumed.experiment.startedAt).toBe('2026-11-01T00:00:00.000Z');
    const started = changeStatus(experiment('draft'), 'running', now);
    expect('experiment' in started && started.experiment.startedAt).toBe(now);
    const stopped = changeStatus(paused, 'stopped', now);
    expect('experiment' in stopped && stopped.experiment.stoppedAt).toBe(now);
  });

  it('only drafts and paused experiments are editable', () => {
    expect(all.filter(isEditable)).toEqual(['draft', 'paused']);
  });
});

describe('runningRival', () => {
  it('finds another running experiment on the same slot × segment, not itself', () => {
    expect(runningRival(config, experiment('draft'))?.id).toBe('exp_running');
    expect(runningRival(config, experiment('draft', { id: 'exp_running' }))).toBeNull();
    expect(runningRival(config, experiment('draft', { segment: 'hot_lead' }))).toBeNull();
  });
});
