/**
 * @module
 * The scoring editor (points table, decay, tiers, fit points) and its simulator: a sequence of actions run
 * through the pure core (`applyEvents`, `resolveSegment`) with the *unsaved* settings, so the
 * marketer sees the score, tier and segment before saving (the core is shared with the worker).
 */
import { signal } from '@preact/signals';
import { compileFit } from '@worker/core/fit';
import { applyEvents, currentScore, emptyProfile } from '@worker/core/profile';
import { tierOf } from '@worker/core/scoring';
import { compileSegments, resolveSegment } from '@worker/core/segments';
import { DAY_MS, type NormalizedEvent } from '@worker/core/types';
import type { EventType, FitRule, ScoringRule, ScoringSettings, Segment, SiteConfig, Tier, Traits } from '@worker/schema/config';
import { api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { parseScalar } from '../lib/ruleDraft';
import { DEFAULT_PROP } from '../lib/vocab';
import { config, loadConfig } from './configModel';
import { newFitRule } from './fitModel';

export interface SimStep {
  type: EventType;
  /** Value of the event's usual detail prop (category for page views, kind for downloads…). */
  detail: string;
  daysAgo: number;
}

export interface SimResult {
  score: number;
  /** Fit points of the simulated traits (beside the score; tiers stay on the score). */
  fit: number;
  tier: Tier;
  segment: Segment | null;
  /** Points each step added, in the order given. */
  points: number[];
}

/** "industry=SaaS\nemployees=120" → {industry: 'SaaS', employees: 120}. */
export function parseTraits(text: string): Traits {
  const out: Traits = {};
  for (const line of text.split(/\n/)) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim();
    const v = line.slice(i + 1).trim();
    if (k && v) out[k] = parseScalar(v);
  }
  return out;
}

/**
 * Runs the steps on an empty profile with the given (draft) scoring and the saved segments.
 * @example simulate([{type: 'page_view', detail: 'pricing', daysAgo: 0}], {}, rules, settings, segments, now).score // 4
 */
export function simulate(
  steps: SimStep[],
  traits: Traits,
  rules: ScoringRule[],
  settings: ScoringSettings,
  segments: Segment[],
  now: number,
  fitRules: FitRule[] = [],
): SimResult {
  const fit = compileFit(fitRules);
  const events: NormalizedEvent[] = steps.map((s, i) => {
    const prop = DEFAULT_PROP[s.type];
    return {
      id: `sim-${i}`,
      type: s.type,
      at: now - Math.max(0, s.daysAgo) * DAY_MS - (steps.length - i) * 1000,
      props: prop && s.detail.trim() ? { [prop]: s.detail.trim() } : {},
    };
  });
  const { profile, applied } = applyEvents(emptyProfile(), events, { rules, settings }, { now, retentionDays: 365 });
  const byId = new Map(applied.map((a) => [a.eventId, a.points]));
  const score = currentScore(profile, settings, now);
  return {
    score,
    fit: fit.score(traits),
    tier: tierOf(score, settings),
    segment: resolveSegment(compileSegments(segments, { fit }), { traits, profile, now, settings }),
    points: events.map((e) => byId.get(e.id) ?? 0),
  };
}

export interface ScoringDraft {
  rules: ScoringRule[];
  settings: ScoringSettings;
  fit: FitRule[];
}

/** The saved scoring as a draft to edit (copies, so edits never touch the loaded configuration). */
export function scoringDraftOf(c: SiteConfig | null): ScoringDraft {
  return {
    rules: structuredClone(c?.scoring.rules ?? []),
    settings: { ...(c?.scoring.settings ?? { decayPerDay: 1, hotAt: 80, warmAt: 30 }) },
    fit: structuredClone(c?.scoring.fit ?? []),
  };
}

const replaceAt = <T>(list: T[], i: number, patch: Partial<T>) => list.map((r, j) => (j === i ? { ...r, ...patch } : r));
const without = <T>(list: T[], i: number) => list.filter((_, j) => j !== i);

/**
 * The scoring screen's editor: points table, decay and tiers and fit points, saved together, and
 * the simulator's actions and attributes (not saved).
 * @example const ed = createScoringEditor(scoringDraftOf(config.value)); ed.addRule(); await ed.save();
 */
export function createScoringEditor(start: ScoringDraft) {
  const form = createForm({
    initial: start,
    submit: async (d: ScoringDraft) => {
      await unwrap(api.scoring.$put({ json: d }));
      await loadConfig();
    },
  });
  const set = (patch: Partial<ScoringDraft>) => form.update(patch);
  return {
    ...form,
    /** The simulator's actions, newest last. */
    steps: signal<SimStep[]>([
      { type: 'page_view', detail: 'pricing', daysAgo: 3 },
      { type: 'download', detail: 'whitepaper', daysAgo: 1 },
    ]),
    simTraits: signal('industry=SaaS\nemployees=120'),
    /** Back to the saved scoring (cancel, or after a restore from the change log). */
    reload: () => form.reset(scoringDraftOf(config.value)),
    setSettings: (patch: Partial<ScoringSettings>) => set({ settings: { ...form.draft.value.settings, ...patch } }),
    updateRule: (i: number, patch: Partial<ScoringRule>) => set({ rules: replaceAt(form.draft.value.rules, i, patch) }),
    addRule() {
      const rules = form.draft.value.rules;
      set({
        rules: [...rules, { id: `rule_${rules.length + 1}`, eventType: 'page_view', match: {}, points: 1, dailyCap: null, enabled: true }],
      });
    },
    removeRule: (i: number) => set({ rules: without(form.draft.value.rules, i) }),
    updateFit: (i: number, patch: Partial<FitRule>) => set({ fit: replaceAt(form.draft.value.fit, i, patch) }),
    addFit: () => set({ fit: [...form.draft.value.fit, newFitRule(form.draft.value.fit)] }),
    removeFit: (i: number) => set({ fit: without(form.draft.value.fit, i) }),
  };
}
export type ScoringEditor = ReturnType<typeof createScoringEditor>;
