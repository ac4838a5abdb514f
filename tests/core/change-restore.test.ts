/**
 * Restoring an earlier version (worker/core/change-restore.ts): a table of versions to put back
 * against one site configuration — what gets written, what is already current, and each refusal
 * with the code and params the console words it from.
 */
import { describe, expect, it } from 'vitest';
import { modelUsers, planRestore } from '../../worker/core/change-restore';
import type { ChangeEntity } from '../../worker/schema/changes';
import type { SiteConfig } from '../../worker/schema/config';
import table from './cases/change-restore.json';

const config = table.config as unknown as SiteConfig;
/** A string `current` names an experiment of the configuration (the entity as it is now). */
const currentOf = (current: unknown) => (typeof current === 'string' ? config.experiments.find((e) => e.id === current) : current);

describe('planRestore', () => {
  it.each(table.cases)('$label', ({ entity, target, current, want }) => {
    const plan = planRestore({
      entity: entity as ChangeEntity,
      target,
      current: currentOf(current),
      config,
      nowIso: '2026-12-01T00:00:00.000Z',
    });
    expect(plan).toMatchObject(want);
    if (want.kind === 'refuse') expect((plan as { message: string }).message).toMatch(/\w/);
  });

  it('every entity is covered by the table', () => {
    const covered = new Set(table.cases.map((c) => c.entity));
    for (const entity of ['segment', 'segment_order', 'scoring', 'slot', 'variant', 'experiment', 'alert', 'site', 'model', 'alert_secret'])
      expect(covered.has(entity), entity).toBe(true);
  });

  it('categories and names are put back whole, or found current', () => {
    const rules = [{ id: 'pricing', pattern: '/pricing*', category: 'pricing', priority: 0 }];
    expect(planRestore({ entity: 'categories', target: { rules: [] }, current: { rules }, config, nowIso: '' })).toEqual({
      kind: 'write',
      after: { rules: [] },
    });
    expect(planRestore({ entity: 'categories', target: { rules }, current: { rules }, config, nowIso: '' })).toEqual({ kind: 'unchanged' });
    const names = { events: {}, props: {}, traits: { industry: { ja: '業種', en: 'Industry' } } };
    expect(
      planRestore({ entity: 'vocabulary', target: names, current: { events: {}, props: {}, traits: {} }, config, nowIso: '' }),
    ).toEqual({ kind: 'write', after: names });
  });

  it('refuses to undo a model while a segment tests it, at any depth of its conditions', () => {
    const model = table.cases.find((c) => c.entity === 'model' && c.target === null)!.current as { key: string };
    const likely = {
      ...config.segments[0]!,
      key: 'likely',
      rule: {
        match: 'all',
        conditions: [{ type: 'group', match: 'any', conditions: [{ type: 'propensity', model: model.key, op: 'gte', value: 0.5 }] }],
      },
    } as unknown as SiteConfig['segments'][number];
    const withUser = { ...config, segments: [...config.segments, likely] };
    expect(modelUsers(withUser.segments, model.key)).toEqual(['likely']);
    expect(planRestore({ entity: 'model', target: null, current: model, config: withUser, nowIso: '' })).toMatchObject({
      kind: 'refuse',
      code: 'in_use',
      params: { entity: 'model', segments: ['likely'] },
    });
  });
});
