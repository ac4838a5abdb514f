/**
 * @module
 * What one configuration reads from a visitor's profile — the windows over each counter, the
 * lifetime totals, the traits — so a profile token holds exactly that
 * (worker/core/profile-token.ts), and so two configurations that read alike can share tokens
 * (worker/core/profile-shape.ts).
 */
import type { CompiledConfig } from './compile';
import { counterKey } from './counters';
import type { Condition } from '../schema/config';
import type { Feature } from './propensity/features';

/** What one configuration reads from a profile, so a token holds exactly that. */
export interface TokenReads {
  /** Counter key → the windows (days, ascending) a rule counts it over. */
  windows: Map<string, number[]>;
  /** Counter keys read over all time (`profile.totals`). */
  totals: Set<string>;
  /** Traits a rule tests (trait conditions; fit rules when fit or a model reads fit; model features). */
  traits: Set<string>;
}

const readsCache = new WeakMap<CompiledConfig, TokenReads>();

/**
 * What the configuration's enabled segments read (cached per compiled configuration).
 * @example tokenReads(config).windows.get('page_view.category=pricing') // [7, 30]
 */
export function tokenReads(config: CompiledConfig): TokenReads {
  let reads = readsCache.get(config);
  if (reads) return reads;
  const windows = new Map<string, Set<number>>();
  const totals = new Set<string>();
  const traits = new Set<string>();
  // Windows past retention read what retention kept: clamp, so no synthetic bucket is pruned.
  const window = (key: string, days: number) => {
    let set = windows.get(key);
    if (!set) windows.set(key, (set = new Set()));
    set.add(Math.min(days, config.retentionDays));
  };
  let readsFit = false;
  const features = (list: readonly Feature[]) => {
    for (const f of list) {
      if (f.kind === 'count') window(f.key, f.days);
      else if (f.kind === 'fit') readsFit = true;
      else if (f.kind === 'trait' || f.kind === 'traitNumber') traits.add(f.trait);
    }
  };
  const walk = (conditions: Condition[]) => {
    for (const c of conditions) {
      if (c.type === 'group') walk(c.conditions);
      else if (c.type === 'trait') traits.add(c.trait);
      else if (c.type === 'fit') readsFit = true;
      else if (c.type === 'behavior') {
        const key = keyOf(c.event, c.where);
        if (c.withinDays === null || c.withinDays === undefined) totals.add(key);
        else window(key, c.withinDays);
      } else if (c.type === 'trend') {
        window(keyOf(c.event, c.where), c.days);
        window(keyOf(c.event, c.where), 2 * c.days);
      } else if (c.type === 'propensity') {
        const model = config.source.models?.find((m) => m.key === c.model);
        if (model) features(model.features as Feature[]);
      }
    }
  };
  for (const s of config.segments) walk(s.segment.rule.conditions);
  if (readsFit) for (const rule of config.source.scoring.fit ?? []) traits.add(rule.trait);
  reads = {
    windows: new Map([...windows].map(([k, set]) => [k, [...set].sort((a, b) => a - b)])),
    totals,
    traits,
  };
  readsCache.set(config, reads);
  return reads;
}

const keyOf = (event: Parameters<typeof counterKey>[0], where: Parameters<typeof counterKey>[1] | undefined) =>
  counterKey(event, where ?? {});
