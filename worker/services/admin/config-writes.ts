/**
 * @module
 * The statements that write each piece of configuration, shared by the admin routes and the
 * change log's restore, so "put the earlier version back" writes exactly what an edit writes
 * (cascades included: a deleted segment or slot takes its content with it, a deleted experiment
 * its exposures and conversions). Statements only: callers commit them with `commitConfig`.
 */
import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client';
import { schema } from '../../db/client';
import type { CategoryRule, Experiment, FitRule, ScoringRule, ScoringSettings, Segment, Slot, Variant } from '../../schema/config';
import type { Vocabulary } from '../../schema/vocabulary';

type Statement = BatchItem<'sqlite'>;

/** Priorities are spaced so the order can be read in the database at a glance. */
export const PRIORITY_STEP = 10;

const upsertSetting = (db: Db, key: string, value: unknown) =>
  db
    .insert(schema.settings)
    .values({ key, value })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } });

export const segmentWrites = {
  insert: (db: Db, s: Segment): Statement[] => [
    db
      .insert(schema.segments)
      .values({ id: s.id, key: s.key, name: s.name, description: s.description, priority: s.priority, enabled: s.enabled, rule: s.rule }),
  ],
  update: (db: Db, s: Segment): Statement[] => [
    db
      .update(schema.segments)
      .set({ name: s.name, description: s.description, enabled: s.enabled, rule: s.rule })
      .where(eq(schema.segments.key, s.key)),
  ],
  /** Its content goes with it: a variant for a segment that no longer exists can never be served. */
  delete: (db: Db, key: string): Statement[] => [
    db.delete(schema.variants).where(eq(schema.variants.segment, key)),
    db.delete(schema.segments).where(eq(schema.segments.key, key)),
  ],
  /** `keys` in match order, first first. */
  order: (db: Db, keys: string[]): Statement[] =>
    keys.map((key, i) =>
      db
        .update(schema.segments)
        .set({ priority: (i + 1) * PRIORITY_STEP })
        .where(eq(schema.segments.key, key)),
    ),
};

/**
 * Replaces the whole points table (one batch, so the hot path never sees half a table); `fit`
 * omitted leaves the fit points as they are.
 */
export function scoringWrites(db: Db, s: { rules: ScoringRule[]; settings: ScoringSettings; fit?: FitRule[] }): Statement[] {
  return [
    db.delete(schema.scoringRules),
    ...s.rules.map((r, position) =>
      db.insert(schema.scoringRules).values({
        id: r.id,
        eventType: r.eventType,
        match: r.match,
        points: r.points,
        dailyCap: r.dailyCap,
        enabled: r.enabled,
        position,
      }),
    ),
    upsertSetting(db, 'scoring', s.settings),
    ...(s.fit ? [upsertSetting(db, 'fit_rules', s.fit)] : []),
  ];
}

export function categoryWrites(db: Db, rules: CategoryRule[]): Statement[] {
  return [
    db.delete(schema.categoryRules),
    ...rules.map((r) =>
      db.insert(schema.categoryRules).values({ id: r.id, pattern: r.pattern, category: r.category, priority: r.priority }),
    ),
  ];
}

export const slotWrites = {
  insert: (db: Db, s: Slot): Statement[] => [db.insert(schema.slots).values({ key: s.key, name: s.name })],
  update: (db: Db, s: Slot): Statement[] => [db.update(schema.slots).set({ name: s.name }).where(eq(schema.slots.key, s.key))],
  delete: (db: Db, key: string): Statement[] => [
    db.delete(schema.variants).where(eq(schema.variants.slot, key)),
    db.delete(schema.slots).where(eq(schema.slots.key, key)),
  ],
};

export const variantWrites = {
  insert: (db: Db, v: Variant, createdAt: number): Statement[] => [
    db
      .insert(schema.variants)
      .values({ id: v.id, slot: v.slot, segment: v.segment, name: v.name, html: v.html, enabled: v.enabled, createdAt }),
  ],
  update: (db: Db, v: Variant): Statement[] => [
    db.update(schema.variants).set({ name: v.name, html: v.html, enabled: v.enabled }).where(eq(schema.variants.id, v.id)),
  ],
  delete: (db: Db, id: string): Statement[] => [db.delete(schema.variants).where(eq(schema.variants.id, id))],
};

export const experimentWrites = {
  insert: (db: Db, e: Experiment, createdAt: number): Statement[] => [db.insert(schema.experiments).values({ ...e, createdAt })],
  /** What the editor changes (the status is left to whoever changes it meanwhile). */
  define: (db: Db, e: Experiment): Statement[] => [
    db.update(schema.experiments).set({ name: e.name, goal: e.goal, arms: e.arms }).where(eq(schema.experiments.id, e.id)),
  ],
  status: (db: Db, e: Experiment): Statement[] => [
    db
      .update(schema.experiments)
      .set({ status: e.status, startedAt: e.startedAt, stoppedAt: e.stoppedAt })
      .where(eq(schema.experiments.id, e.id)),
  ],
  /** Definition and status together (a restore may change both). */
  update: (db: Db, e: Experiment): Statement[] => [
    db
      .update(schema.experiments)
      .set({ name: e.name, goal: e.goal, arms: e.arms, status: e.status, startedAt: e.startedAt, stoppedAt: e.stoppedAt })
      .where(eq(schema.experiments.id, e.id)),
  ],
  /** Its exposures and conversions go with it (they mean nothing without the experiment). */
  delete: (db: Db, id: string): Statement[] => [
    db.delete(schema.exposures).where(eq(schema.exposures.experimentId, id)),
    db.delete(schema.conversions).where(eq(schema.conversions.experimentId, id)),
    db.delete(schema.experiments).where(eq(schema.experiments.id, id)),
  ],
};

/** The site's names (one JSON value in `settings`). */
export const vocabularyWrite = (db: Db, v: Vocabulary): Statement => upsertSetting(db, 'vocabulary', v);
