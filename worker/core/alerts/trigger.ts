/**
 * @module
 * When does a member fire an alert? Computed from the profile before and after a request's
 * events, in memory, so the hot path needs no extra read.
 *
 * - An alert fires when the member *enters* its condition: out before, in after.
 * - Hysteresis: once in, a score or tier condition is left only when the score falls clearly
 *   below the line (HYSTERESIS_RATIO of it), so a member hovering at 79↔80 with the daily decay
 *   is one entry, not one a day. A segment is left when the member no longer matches it.
 * - Memory: whether the member is in, and when it last fired, is kept per alert in the member's
 *   profile (`alerts`), written in the same batch as the events. A member the alert has never
 *   seen is judged by the profile as it was before the request.
 * - Cooldown: an entry within `cooldownMs` of the last firing is recorded (the member is in)
 *   but sends nothing. The outbox insert checks the same rule against stored deliveries, so
 *   even a lost memory cannot send twice within the cooldown.
 */
import type { AlertTrigger } from '../../schema/alerts';
import type { ScoringSettings } from '../../schema/config';

/** Leaving a score line takes a drop of this share of it (at least one point). */
export const HYSTERESIS_RATIO = 0.1;

export interface AlertRule {
  id: string;
  trigger: AlertTrigger;
  cooldownMs: number;
}

/** The member as a trigger sees it: its segment and its score as of now (decay applied). */
export interface Moment {
  segment: string | null;
  score: number;
}

/** Per alert: is the member in its condition, and when did it last fire (ms). */
export interface AlertMemory {
  in: boolean;
  firedAt?: number;
}
export type AlertMemories = Record<string, AlertMemory>;

/**
 * The memory key of a rule: its id and its trigger, so editing the trigger starts afresh
 * rather than inheriting "in" from a different condition.
 * @example memoryKey({id: 'a1', trigger: {type: 'tier_reached', tier: 'hot'}, cooldownMs: 0}) // 'a1:tier_reached:hot'
 */
export function memoryKey(rule: Pick<AlertRule, 'id' | 'trigger'>): string {
  const t = rule.trigger;
  const arg = t.type === 'segment_entered' ? t.segment : t.type === 'tier_reached' ? t.tier : String(t.score);
  return `${rule.id}:${t.type}:${arg}`;
}

/**
 * The score line of a tier or score trigger (null for a segment trigger).
 * @example scoreLine({type: 'tier_reached', tier: 'hot'}, {decayPerDay: 1, hotAt: 80, warmAt: 30}) // 80
 */
export function scoreLine(trigger: AlertTrigger, settings: ScoringSettings): number | null {
  if (trigger.type === 'score_reached') return trigger.score;
  if (trigger.type === 'tier_reached') return trigger.tier === 'hot' ? settings.hotAt : settings.warmAt;
  return null;
}

/**
 * Whether the member is in the condition, given whether it was (hysteresis).
 * @example holds({type: 'score_reached', score: 80}, {segment: null, score: 75}, settings, true) // true: 75 ≥ 80 − 8
 * @example holds({type: 'score_reached', score: 80}, {segment: null, score: 75}, settings, false) // false
 */
export function holds(trigger: AlertTrigger, m: Moment, settings: ScoringSettings, wasIn: boolean): boolean {
  if (trigger.type === 'segment_entered') return m.segment === trigger.segment;
  const line = scoreLine(trigger, settings) ?? Infinity;
  if (!wasIn) return m.score >= line;
  return m.score >= line - Math.max(1, Math.round(line * HYSTERESIS_RATIO));
}

export interface AlertCheck {
  /** The memory to store with the profile (only the current rules' keys). */
  memories: AlertMemories;
  /** Rules the member just entered, outside their cooldown: one message each. */
  fired: AlertRule[];
}

/**
 * Decides which alerts a request fires. `before` is only computed for rules with no memory yet.
 * @example
 *   const {fired, memories} = checkAlerts(rules, profile.alerts, () => beforeMoment, afterMoment, settings, now);
 */
export function checkAlerts(
  rules: readonly AlertRule[],
  memories: AlertMemories | undefined,
  before: () => Moment,
  after: Moment,
  settings: ScoringSettings,
  now: number,
): AlertCheck {
  const next: AlertMemories = {};
  const fired: AlertRule[] = [];
  let beforeMoment: Moment | undefined;
  const momentBefore = () => {
    beforeMoment ??= before();
    return beforeMoment;
  };
  for (const rule of rules) {
    const key = memoryKey(rule);
    const prev = memories && Object.hasOwn(memories, key) ? memories[key] : undefined;
    const wasIn = prev ? prev.in : holds(rule.trigger, momentBefore(), settings, false);
    const isIn = holds(rule.trigger, after, settings, wasIn);
    const cooledDown = prev?.firedAt === undefined || now - prev.firedAt >= rule.cooldownMs;
    const fire = !wasIn && isIn && cooledDown;
    if (fire) fired.push(rule);
    const firedAt = fire ? now : prev?.firedAt;
    next[key] = firedAt === undefined ? { in: isIn } : { in: isIn, firedAt };
  }
  return { memories: next, fired };
}
