/**
 * @module
 * The scoring editor (points table, decay, tiers) and its simulator: a sequence of actions run
 * through the pure core (`applyEvents`, `resolveSegment`) with the *unsaved* settings, so the
 * marketer sees the score, tier and segment before saving (the core is shared with the worker).
 */
import { computed, signal } from '@preact/signals';
import { compileFit } from '@worker/core/fit';
import { applyEvents, currentScore, emptyProfile } from '@worker/core/profile';
import { tierOf } from '@worker/core/scoring';
import { compileSegments, resolveSegment } from '@worker/core/segments';
import { DAY_MS, type NormalizedEvent } from '@worker/core/types';
import type { EventType, FitRule, ScoringRule, ScoringSettings, Segment, Tier, Traits } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { parseScalar } from '../lib/ruleDraft';
import { DEFAULT_PROP } from '../lib/vocab';
import { config, loadConfig } from './configModel';
import { fitRules } from './fitModel';

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

export const rules = signal<ScoringRule[]>([]);
export const settings = signal<ScoringSettings>({ decayPerDay: 1, hotAt: 80, warmAt: 30 });
export const errors = signal<FieldErrors>({});
export const failure = signal<ApiFailure | null>(null);
export const saving = signal(false);
export const steps = signal<SimStep[]>([
  { type: 'page_view', detail: 'pricing', daysAgo: 3 },
  { type: 'download', detail: 'whitepaper', daysAgo: 1 },
]);
export const simTraits = signal('industry=SaaS\nemployees=120');
const scoringBaseline = signal('');
const scoringDraft = () => JSON.stringify({ rules: rules.value, settings: settings.value, fit: fitRules.value });
/** True while the points table or thresholds differ from what was loaded or last saved. */
export const scoringDirty = computed(() => scoringDraft() !== scoringBaseline.value);

/** Starts the editor from the saved configuration. */
export function resetScoringDraft(): void {
  const c = config.value;
  if (!c) return;
  rules.value = structuredClone(c.scoring.rules);
  settings.value = { ...c.scoring.settings };
  fitRules.value = structuredClone(c.scoring.fit ?? []);
  scoringBaseline.value = scoringDraft();
  errors.value = {};
  failure.value = null;
}

export function updateRule(i: number, patch: Partial<ScoringRule>): void {
  rules.value = rules.value.map((r, j) => (j === i ? { ...r, ...patch } : r));
}

export function addRule(): void {
  const n = rules.value.length + 1;
  rules.value = [...rules.value, { id: `rule_${n}`, eventType: 'page_view', match: {}, points: 1, dailyCap: null, enabled: true }];
}

export function removeRule(i: number): void {
  rules.value = rules.value.filter((_, j) => j !== i);
}

export async function saveScoring(): Promise<boolean> {
  saving.value = true;
  errors.value = {};
  failure.value = null;
  try {
    const sent = scoringDraft();
    await unwrap(api.scoring.$put({ json: { rules: rules.value, settings: settings.value, fit: fitRules.value } }));
    scoringBaseline.value = sent;
    await loadConfig();
    return true;
  } catch (err) {
    if (err instanceof ApiFailure) {
      errors.value = toFieldErrors(err.issues);
      failure.value = err;
      return false;
    }
    throw err;
  } finally {
    saving.value = false;
  }
}
