/**
 * @module
 * Admin request bodies, built from the shared configuration schemas (worker/schema/config.ts)
 * so the console, the API and the hot path agree on every field.
 */
import { z } from 'zod';
import {
  Arm,
  CategoryRule,
  Experiment,
  FitRule,
  Goal,
  ScoringRule,
  ScoringSettings,
  Segment,
  Slot,
  Variant,
  slug,
} from '../../schema/config';

/** Adds an issue at `[listKey, i, 'id']` for every repeated id, so the form marks the row. */
function uniqueBy<T>(listKey: string, field: keyof T & string) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<unknown>();
    list.forEach((item, i) => {
      const v = item[field];
      if (seen.has(v))
        ctx.addIssue({ code: 'custom', path: [i, field], message: `duplicate ${field} "${String(v)}"`, params: { reason: 'duplicate' } });
      seen.add(v);
    });
    void listKey;
  };
}

export const SegmentRule = Segment.shape.rule;

export const SegmentCreate = Segment.omit({ id: true, priority: true }).extend({
  /** Omitted: the new segment goes last. */
  priority: z.number().int().optional(),
});
export type SegmentCreate = z.input<typeof SegmentCreate>;

/** The key is the segment's identity (variants and experiments point at it), so it never changes. */
export const SegmentUpdate = Segment.omit({ id: true, key: true, priority: true });
export type SegmentUpdate = z.input<typeof SegmentUpdate>;

export const SegmentOrder = z.object({ keys: z.array(slug).min(1).max(500) });
export const SegmentPreview = z.object({ rule: SegmentRule });

export const ScoringPut = z.object({
  rules: z.array(ScoringRule).max(200).superRefine(uniqueBy('rules', 'id')),
  settings: ScoringSettings,
  /** Scoring rules that test a trait (fit points). Omitted: the saved ones stay. */
  fit: z.array(FitRule).max(200).superRefine(uniqueBy('fit', 'id')).optional(),
});
export type ScoringPut = z.input<typeof ScoringPut>;

export const CategoriesPut = z.object({
  rules: z.array(CategoryRule).max(500).superRefine(uniqueBy('rules', 'id')),
});
export type CategoriesPut = z.input<typeof CategoriesPut>;

export const CategoryTest = z.object({
  url: z.string().min(1).max(2048),
  /** Unsaved rules from the editor; omitted = the saved ones. */
  rules: z.array(CategoryRule).max(500).optional(),
});

export const SlotCreate = Slot;
export const SlotUpdate = Slot.omit({ key: true });

export const VariantCreate = Variant.omit({ id: true }).extend({ id: slug.optional() });
export type VariantCreate = z.input<typeof VariantCreate>;
export const VariantUpdate = Variant.omit({ id: true, slot: true, segment: true });
/** `GET /api/variants?slot=&segment=`: the content of one slot, one segment, or one cell. */
export const VariantListQuery = z.object({ slot: z.string().max(64).optional(), segment: z.string().max(64).optional() });
export type VariantUpdate = z.input<typeof VariantUpdate>;

const GoalInput = Goal.refine((g) => g.eventType !== 'conversion' || !!g.goal, {
  message: 'a conversion goal needs a goal name',
  path: ['goal'],
  params: { reason: 'goal_required' },
});

const Arms = z
  .array(Arm)
  .min(1)
  .max(10)
  .superRefine(uniqueBy('arms', 'key'))
  .refine((arms) => arms.reduce((s, a) => s + a.weight, 0) > 0, {
    message: 'weights must add up to more than 0',
    params: { reason: 'weights_positive' },
  });

export const ExperimentCreate = Experiment.pick({ name: true, slot: true, segment: true }).extend({
  id: slug.optional(),
  goal: GoalInput,
  arms: Arms,
});
export type ExperimentCreate = z.input<typeof ExperimentCreate>;
export const ExperimentUpdate = z.object({ name: Experiment.shape.name, goal: GoalInput, arms: Arms });
export type ExperimentUpdate = z.input<typeof ExperimentUpdate>;
export const ExperimentStatusChange = z.object({ status: z.enum(['running', 'paused', 'stopped']) });

export const PreviewRequest = z.object({
  url: z.url({ protocol: /^https?$/ }),
  segment: slug.nullable(),
  /** experiment id → arm key. */
  arms: z.record(slug, slug).default({}),
});
export type PreviewRequest = z.input<typeof PreviewRequest>;

/** `GET /api/models/:key/members?limit=`: how many of the members ranked highest (default 20). */
export const RankedQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(20) });
