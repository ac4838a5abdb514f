/**
 * @module
 * The rules of an experiment, as data checks the admin API turns into coded errors: which
 * status changes are allowed, what a plan (slot, segment, arms) must satisfy against the site's
 * configuration, and that at most one experiment runs per (slot, segment). Pure.
 */
import type { Experiment, SiteConfig } from '../schema/config';
import { CONTROL_ARM } from './types';

export type ExperimentStatus = Experiment['status'];
export type ExperimentPlan = Pick<Experiment, 'slot' | 'segment' | 'arms'>;

/** A broken rule: where (a field path), a stable reason and its parameters, an English message. */
export interface RuleProblem {
  path: (string | number)[];
  reason: string;
  params?: Record<string, string | number>;
  message: string;
}

/** Draft → running or stopped; running ↔ paused; anything but stopped → stopped; stopped is final. */
export const STATUS_TRANSITIONS: Readonly<Record<ExperimentStatus, readonly ExperimentStatus[]>> = {
  draft: ['running', 'stopped'],
  running: ['paused', 'stopped'],
  paused: ['running', 'stopped'],
  stopped: [],
};

/** Running and stopped experiments are frozen: edits would mix two experiments' data in one result. */
export const isEditable = (status: ExperimentStatus) => status === 'draft' || status === 'paused';

/**
 * What is wrong with a plan against the configuration, or null.
 * @example planProblem(config, {slot: 'hero', segment: 'nope', arms}) // {path: ['segment'], reason: 'unknown', …}
 */
export function planProblem(config: SiteConfig, e: ExperimentPlan): RuleProblem | null {
  if (!config.slots.some((s) => s.key === e.slot)) {
    return { path: ['slot'], reason: 'unknown', params: { entity: 'slot' }, message: `Slot "${e.slot}" does not exist` };
  }
  if (!config.segments.some((s) => s.key === e.segment)) {
    return { path: ['segment'], reason: 'unknown', params: { entity: 'segment' }, message: `Segment "${e.segment}" does not exist` };
  }
  for (const [i, arm] of e.arms.entries()) {
    const path = ['arms', i, 'variant'];
    if (arm.key === CONTROL_ARM) {
      if (arm.variant !== null) {
        return {
          path,
          reason: 'control_has_variant',
          message: 'The control arm shows the page’s default content: leave its variant empty',
        };
      }
      continue;
    }
    if (!arm.variant) return { path, reason: 'required', message: 'Choose the variant this arm shows' };
    const v = config.variants.find((x) => x.id === arm.variant);
    if (!v) return { path, reason: 'unknown', params: { entity: 'variant' }, message: `Variant "${arm.variant}" does not exist` };
    if (v.slot !== e.slot || v.segment !== e.segment) {
      return {
        path,
        reason: 'variant_mismatch',
        message: `Variant "${v.id}" is for ${v.slot} × ${v.segment}, not ${e.slot} × ${e.segment}`,
      };
    }
  }
  return null;
}

/** Another experiment already running on the same (slot, segment), if any. */
export function runningRival(config: SiteConfig, e: Pick<Experiment, 'id' | 'slot' | 'segment'>): Experiment | null {
  return config.experiments.find((x) => x.id !== e.id && x.status === 'running' && x.slot === e.slot && x.segment === e.segment) ?? null;
}

/**
 * The experiment after a status change at `nowIso`, or the problem with the change. Starting
 * keeps the first start time (a paused test resumes the same experiment); stopping stamps the end.
 * @example changeStatus(draft, 'running', '2026-12-01T00:00:00Z') // {experiment: {...status: 'running', startedAt: '2026-12-01T00:00:00Z'}}
 */
export function changeStatus(
  current: Experiment,
  status: ExperimentStatus,
  nowIso: string,
): { experiment: Experiment } | { problem: RuleProblem } {
  if (current.status === status) return { experiment: current };
  if (!STATUS_TRANSITIONS[current.status].includes(status)) {
    return {
      problem: {
        path: ['status'],
        reason: 'transition',
        params: { from: current.status, to: status },
        message: `A ${current.status} experiment cannot become ${status}`,
      },
    };
  }
  return {
    experiment: {
      ...current,
      status,
      startedAt: status === 'running' ? (current.startedAt ?? nowIso) : current.startedAt,
      stoppedAt: status === 'stopped' ? nowIso : current.stoppedAt,
    },
  };
}
