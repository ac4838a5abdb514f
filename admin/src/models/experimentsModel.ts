/**
 * @module
 * Experiments: the editor (slot, segment, goal, arms with weights and a control arm on by
 * default), status changes (start / pause / stop) and the per-arm numbers (from the results endpoint).
 */
import type { ExperimentEstimate } from '@worker/core/experiment-estimate';
import type { Arm, EventType, Experiment } from '@worker/schema/config';
import { api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { type FieldErrors, toFieldErrors } from '../lib/issues';
import { loadConfig, variants } from './configModel';
import { t } from '../i18n/catalogue';

export const CONTROL = 'control';

export interface ArmDraft {
  key: string;
  /** Percent, as typed. */
  percent: number;
  variant: string | null;
}

export interface ExperimentDraft {
  name: string;
  slot: string;
  segment: string;
  goalEvent: EventType;
  goalName: string;
  includeControl: boolean;
  controlPercent: number;
  arms: ArmDraft[];
}

export interface ArmSummary {
  key: string;
  variant: string | null;
  weight: number;
  isControl: boolean;
  visitors: number;
  conversions: number;
  cvr: number | null;
}

/**
 * A key for a new arm, made for the marketer (who names arms by their content, never by key):
 * `variant_a`, `variant_b` … the first one no arm of the draft uses.
 * @example nextArmKey([{key: 'variant_a'}]) // 'variant_b'
 */
export function nextArmKey(arms: readonly { key: string }[]): string {
  const used = new Set(arms.map((a) => a.key));
  for (let i = 0; ; i++) {
    const key = i < 26 ? `variant_${String.fromCharCode(97 + i)}` : `variant_${i + 1}`;
    if (!used.has(key)) return key;
  }
}

/** Arms as the API takes them: control first (when included), weights as fractions. */
export function toArms(d: ExperimentDraft): Arm[] {
  const arms: Arm[] = d.arms.map((a) => ({ key: a.key.trim(), weight: a.percent / 100, variant: a.variant }));
  return d.includeControl ? [{ key: CONTROL, weight: d.controlPercent / 100, variant: null }, ...arms] : arms;
}

/** The editor's draft of an existing experiment (or a new one on a cell). */
export function toDraft(e: Experiment | null, slot = '', segment = ''): ExperimentDraft {
  if (!e) {
    const first = variants.value.find((v) => v.slot === slot && v.segment === segment);
    return {
      name: '',
      slot,
      segment,
      goalEvent: 'form_inquiry',
      goalName: '',
      includeControl: true,
      controlPercent: 50,
      arms: [{ key: nextArmKey([]), percent: 50, variant: first?.id ?? null }],
    };
  }
  const control = e.arms.find((a) => a.key === CONTROL);
  return {
    name: e.name,
    slot: e.slot,
    segment: e.segment,
    goalEvent: e.goal.eventType,
    goalName: e.goal.goal ?? '',
    includeControl: Boolean(control),
    controlPercent: Math.round((control?.weight ?? 0.5) * 1000) / 10,
    arms: e.arms
      .filter((a) => a.key !== CONTROL)
      .map((a) => ({ key: a.key, percent: Math.round(a.weight * 1000) / 10, variant: a.variant })),
  };
}

/**
 * Issue paths from the API point into `arms` as sent (control first); the form's rows do not
 * include control, so shift them back.
 */
export function draftErrors(errors: FieldErrors, includeControl: boolean): FieldErrors {
  if (!includeControl) return errors;
  const out: FieldErrors = {};
  for (const [k, v] of Object.entries(errors)) {
    const m = /^arms\.(\d+)(\..*)?$/.exec(k);
    if (!m) out[k] = v;
    else if (m[1] === '0') out[`control${m[2] ?? ''}`] = v;
    else out[`arms.${Number(m[1]) - 1}${m[2] ?? ''}`] = v;
  }
  return out;
}

/** The shares as typed, added up (control included when it is on). */
export const percentSum = (d: ExperimentDraft) =>
  Math.round((d.arms.reduce((s, a) => s + (Number(a.percent) || 0), 0) + (d.includeControl ? Number(d.controlPercent) || 0 : 0)) * 10) / 10;

/**
 * What the form refuses before sending: no name, or shares that do not add up to 100% (the
 * API would scale 50/30 to 62.5/37.5 silently; the marketer means what they typed).
 */
export function draftProblems(d: ExperimentDraft): FieldErrors {
  const out: FieldErrors = {};
  if (!d.name.trim()) out.name = t('form.nameRequired');
  const sum = percentSum(d);
  // Thirds typed as 33.3 add up to 99.9: close enough to mean 100.
  if (Math.abs(sum - 100) > 0.5) out.arms = t('form.weightsMust', { sum });
  return out;
}

export function createExperimentEditor(existing: Experiment | null, slot = '', segment = '') {
  const form = createForm({
    initial: toDraft(existing, slot, segment),
    check: draftProblems,
    errorsOf: (err, d) => draftErrors(toFieldErrors(err.issues), d.includeControl),
    submit: async (d: ExperimentDraft): Promise<Experiment> => {
      const goal = { eventType: d.goalEvent, goal: d.goalEvent === 'conversion' ? d.goalName.trim() || null : null };
      const saved = existing
        ? await unwrap(api.experiments[':id'].$put({ param: { id: existing.id }, json: { name: d.name, goal, arms: toArms(d) } }))
        : await unwrap(api.experiments.$post({ json: { name: d.name, slot: d.slot, segment: d.segment, goal, arms: toArms(d) } }));
      await loadConfig();
      return saved as Experiment;
    },
  });
  return {
    ...form,
    updateArm(i: number, patch: Partial<ArmDraft>) {
      const d = form.draft.value;
      form.draft.value = { ...d, arms: d.arms.map((a, j) => (j === i ? { ...a, ...patch } : a)) };
    },
  };
}
export type ExperimentEditor = ReturnType<typeof createExperimentEditor>;

export async function setExperimentStatus(id: string, status: 'running' | 'paused' | 'stopped'): Promise<void> {
  await unwrap(api.experiments[':id'].status.$post({ param: { id }, json: { status } }));
  await loadConfig();
}

/** Days to a conclusion at the current traffic (before starting or resuming). */
export async function loadEstimate(id: string): Promise<ExperimentEstimate> {
  return (await unwrap(api.experiments[':id'].estimate.$get({ param: { id } }))) as ExperimentEstimate;
}

export async function deleteExperiment(id: string): Promise<void> {
  await unwrap(api.experiments[':id'].$delete({ param: { id } }));
  await loadConfig();
}

/** Per-arm visitors and conversions, from the one results endpoint, with each arm's variant. */
export async function loadSummary(id: string): Promise<ArmSummary[]> {
  const [body, experiment] = await Promise.all([
    unwrap(api.experiments[':id'].results.$get({ param: { id } })),
    unwrap(api.experiments[':id'].$get({ param: { id } })),
  ]);
  const variantOf = new Map(experiment.arms.map((a) => [a.key, a.variant]));
  return body.arms.map((a) => ({
    key: a.key,
    variant: variantOf.get(a.key) ?? null,
    weight: a.weight,
    isControl: a.isControl,
    visitors: a.visitors,
    conversions: a.conversions,
    cvr: a.visitors ? a.conversions / a.visitors : null,
  }));
}
