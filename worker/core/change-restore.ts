/**
 * @module
 * What restoring an earlier version of an entity means, decided without I/O: given the version
 * to put back (a change's `before`), the entity as it is now and the site's configuration, the
 * restore either writes a new state (`after`, null meaning "delete it"), finds nothing to do, or
 * is refused with the same coded conflict the editor would get for the same write — a restore is
 * an ordinary edit made for you, so it obeys the same rules (a running experiment is frozen, a
 * segment with live experiments cannot go, an arm needs its content to exist).
 */
import type { Alert } from '../schema/alerts';
import type { ChangeEntity } from '../schema/changes';
import type { CategoryRule, Condition, Experiment, Segment, SiteConfig, Slot, Variant } from '../schema/config';
import type { PropensityModel } from '../schema/propensity';
import type { Vocabulary } from '../schema/vocabulary';
import { sameJson } from './change-log';
import { changeStatus, isEditable, planProblem, runningRival, STATUS_TRANSITIONS } from './experiment-rules';

/** A segment or slot as logged; a deletion also keeps the content that went with it. */
export type SegmentSnapshot = Segment & { variants?: Variant[] };
export type SlotSnapshot = Slot & { variants?: Variant[] };
export type ScoringSnapshot = SiteConfig['scoring'];
export interface CategoriesSnapshot {
  rules: CategoryRule[];
}
export interface OrderSnapshot {
  keys: string[];
}
/** An alert as logged: what the editor sets, as the API shows it (never the signing secret), without its timestamps. */
export type AlertSnapshot = Omit<Alert, 'createdAt' | 'updatedAt'>;

/** A signing-secret rotation as logged: the alert's name and a word, never the secret. */
export interface SecretSnapshot {
  name: string;
  secret: 'earlier' | 'rotated';
}

/** Site settings as logged (entity `site`). */
export interface SiteSnapshot {
  timeZone: string;
  previewStylesheet: string | null;
}

/**
 * Keys of the segments whose conditions test a propensity model (at any depth).
 * @example modelUsers([{key: 'likely', rule: {conditions: [{type: 'propensity', model: 'inq', …}]}}], 'inq') // ['likely']
 */
export function modelUsers(segments: Pick<Segment, 'key' | 'rule'>[], model: string): string[] {
  const uses = (conditions: Condition[]): boolean =>
    conditions.some((c) => (c.type === 'propensity' && c.model === model) || (c.type === 'group' && uses(c.conditions)));
  return segments.filter((s) => uses(s.rule.conditions)).map((s) => s.key);
}

export type RestorePlan =
  | { kind: 'refuse'; code: string; message: string; params?: Record<string, unknown> }
  | { kind: 'unchanged' }
  /** `after` is the entity once restored; null: it is deleted. */
  | { kind: 'write'; after: unknown };

const refuse = (code: string, message: string, params?: Record<string, unknown>): RestorePlan => ({
  kind: 'refuse',
  code,
  message,
  params,
});
const missing = (entity: string, id: string): RestorePlan =>
  refuse('restore_missing', `This version needs ${entity} "${id}", which no longer exists`, { entity, id });

/** Live experiments (not stopped) that keep something from being deleted. */
function inUse(config: SiteConfig, entity: string, test: (e: Experiment) => boolean): RestorePlan | null {
  const live = config.experiments.filter((e) => e.status !== 'stopped' && test(e));
  if (!live.length) return null;
  return refuse('in_use', `Stop or delete the experiments using this ${entity} first`, { entity, experiments: live.map((e) => e.id) });
}

/** Same editable fields: nothing to restore. */
const sameIn = <T extends object>(a: T, b: T, fields: (keyof T)[]) => fields.every((f) => sameJson(a[f], b[f]));

/** Content that went with a deleted segment or slot comes back only where it still fits. */
function contentProblem(config: SiteConfig, variants: Variant[] | undefined): RestorePlan | null {
  for (const v of variants ?? []) {
    if (!config.slots.some((s) => s.key === v.slot)) return missing('slot', v.slot);
    if (!config.segments.some((s) => s.key === v.segment)) return missing('segment', v.segment);
  }
  return null;
}

function segment(target: SegmentSnapshot | null, current: SegmentSnapshot | null, config: SiteConfig): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) return inUse(config, 'segment', (e) => e.segment === current!.key) ?? { kind: 'write', after: null };
  if (!current) {
    // The segment itself must exist before its content can: check the content against a config that has it.
    const withIt = { ...config, segments: [...config.segments, target] };
    return contentProblem(withIt, target.variants) ?? { kind: 'write', after: target };
  }
  if (sameIn(target, current, ['name', 'description', 'enabled', 'rule'])) return { kind: 'unchanged' };
  return {
    kind: 'write',
    after: { ...current, name: target.name, description: target.description, enabled: target.enabled, rule: target.rule },
  };
}

function order(target: OrderSnapshot | null, config: SiteConfig): RestorePlan {
  const now = config.segments.map((s) => s.key);
  if (!target || sameJson(target.keys, now)) return { kind: 'unchanged' };
  const same = target.keys.length === now.length && target.keys.every((k) => now.includes(k));
  if (!same) return refuse('restore_order', 'Segments were added or deleted since this order; arrange them again instead');
  return { kind: 'write', after: { keys: target.keys } };
}

function whole<T>(target: T | null, current: T): RestorePlan {
  if (target === null || sameJson(target, current)) return { kind: 'unchanged' };
  return { kind: 'write', after: target };
}

function slot(target: SlotSnapshot | null, current: SlotSnapshot | null, config: SiteConfig): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) return inUse(config, 'slot', (e) => e.slot === current!.key) ?? { kind: 'write', after: null };
  if (!current) {
    const withIt = { ...config, slots: [...config.slots, target] };
    return contentProblem(withIt, target.variants) ?? { kind: 'write', after: target };
  }
  if (target.name === current.name) return { kind: 'unchanged' };
  return { kind: 'write', after: { ...current, name: target.name } };
}

function variant(target: Variant | null, current: Variant | null, config: SiteConfig): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) return inUse(config, 'variant', (e) => e.arms.some((a) => a.variant === current!.id)) ?? { kind: 'write', after: null };
  if (!current) return contentProblem(config, [target]) ?? { kind: 'write', after: target };
  if (sameIn(target, current, ['name', 'html', 'enabled'])) return { kind: 'unchanged' };
  return { kind: 'write', after: { ...current, name: target.name, html: target.html, enabled: target.enabled } };
}

/** A plan problem said as a restore refusal: a missing piece names what is missing. */
function planRefusal(config: SiteConfig, e: Experiment): RestorePlan | null {
  const p = planProblem(config, e);
  if (!p) return null;
  if (p.reason === 'unknown') {
    const entity = String(p.params?.entity ?? 'variant');
    const id = entity === 'slot' ? e.slot : entity === 'segment' ? e.segment : String(e.arms[Number(p.path[1])]?.variant ?? '');
    return missing(entity, id);
  }
  return refuse('restore_invalid', p.message, { reason: p.reason });
}

function rival(config: SiteConfig, e: Experiment): RestorePlan | null {
  const other = runningRival(config, e);
  return other
    ? refuse('already_running', `Experiment "${other.id}" is already running on ${e.slot} × ${e.segment}`, {
        experiment: other.id,
        name: other.name,
      })
    : null;
}

function experiment(target: Experiment | null, current: Experiment | null, config: SiteConfig, nowIso: string): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) {
    if (current!.status === 'running')
      return refuse('not_deletable', 'A running experiment cannot be deleted; stop it first', { status: 'running' });
    return { kind: 'write', after: null };
  }
  if (!current) {
    return planRefusal(config, target) ?? (target.status === 'running' ? rival(config, target) : null) ?? { kind: 'write', after: target };
  }
  const definition = !sameIn(target, current, ['name', 'goal', 'arms']);
  const status = target.status !== current.status;
  if (!definition && !status) return { kind: 'unchanged' };
  if (definition && !isEditable(current.status)) {
    return refuse('not_editable', `A ${current.status} experiment cannot be edited; pause it first`, { status: current.status });
  }
  let next: Experiment = definition ? { ...current, name: target.name, goal: target.goal, arms: target.arms } : current;
  if (status) {
    if (!STATUS_TRANSITIONS[current.status].includes(target.status)) {
      return refuse('transition', `A ${current.status} experiment cannot become ${target.status}`, {
        from: current.status,
        to: target.status,
      });
    }
    const moved = changeStatus(next, target.status, nowIso);
    if ('problem' in moved) return refuse('transition', moved.problem.message, moved.problem.params);
    next = moved.experiment;
  }
  if (definition || next.status === 'running') {
    const problem = planRefusal(config, next) ?? (next.status === 'running' ? rival(config, next) : null);
    if (problem) return problem;
  }
  return { kind: 'write', after: next };
}

function alert(target: AlertSnapshot | null, current: AlertSnapshot | null, config: SiteConfig): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) return { kind: 'write', after: null };
  if (target.trigger.type === 'segment_entered') {
    const key = target.trigger.segment;
    if (!config.segments.some((s) => s.key === key)) return missing('segment', key);
  }
  if (current && sameIn(target, current, ['name', 'enabled', 'trigger', 'destination', 'cooldownDays'])) return { kind: 'unchanged' };
  return { kind: 'write', after: target };
}

/**
 * A model comes back as it was trained (no retraining: the same coefficients); undoing its
 * first training deletes it, unless a segment tests it.
 */
function model(target: PropensityModel | null, current: PropensityModel | null, config: SiteConfig): RestorePlan {
  if (!target && !current) return { kind: 'unchanged' };
  if (!target) {
    const users = modelUsers(config.segments, current!.key);
    if (users.length) return refuse('in_use', 'Segments test this model', { entity: 'model', segments: users });
    return { kind: 'write', after: null };
  }
  return current && sameJson(target, current) ? { kind: 'unchanged' } : { kind: 'write', after: target };
}

export interface RestoreInput {
  entity: ChangeEntity;
  /** The version to put back (the change's `before`); null: the entity did not exist. */
  target: unknown;
  /** The entity now; null when it does not exist. */
  current: unknown;
  config: SiteConfig;
  nowIso: string;
}

/**
 * @example
 *   planRestore({entity: 'variant', target: deletedVariant, current: null, config, nowIso})
 *   // {kind: 'write', after: deletedVariant} — or {kind: 'refuse', code: 'restore_missing', params: {entity: 'segment', id}}
 */
export function planRestore({ entity, target, current, config, nowIso }: RestoreInput): RestorePlan {
  switch (entity) {
    case 'segment':
      return segment(target as SegmentSnapshot | null, current as SegmentSnapshot | null, config);
    case 'segment_order':
      return order(target as OrderSnapshot | null, config);
    case 'scoring':
      return whole(target as ScoringSnapshot | null, current as ScoringSnapshot);
    case 'categories':
      return whole(target as CategoriesSnapshot | null, current as CategoriesSnapshot);
    case 'vocabulary':
      return whole(target as Vocabulary | null, current as Vocabulary);
    case 'slot':
      return slot(target as SlotSnapshot | null, current as SlotSnapshot | null, config);
    case 'variant':
      return variant(target as Variant | null, current as Variant | null, config);
    case 'experiment':
      return experiment(target as Experiment | null, current as Experiment | null, config, nowIso);
    case 'alert':
      return alert(target as AlertSnapshot | null, current as AlertSnapshot | null, config);
    case 'site':
      return whole(target as SiteSnapshot | null, current as SiteSnapshot);
    case 'model':
      return model(target as PropensityModel | null, current as PropensityModel | null, config);
    case 'alert_secret':
      // The earlier secret was never kept, so there is nothing to put back: rotate again instead.
      return refuse('restore_secret', 'A signing secret is never kept; rotate it again for a new one');
  }
}
