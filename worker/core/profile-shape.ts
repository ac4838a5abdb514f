/**
 * @module
 * A configuration's profile shape: a short hash of everything that gives a profile token's
 * contents their meaning (docs/storage.md, "Which configuration a token fits"). Two
 * configurations with the same shape build the same claims from the same profile and rebuild
 * the same profile from the same claims, so a token built under one is as good as a read under
 * the other — a variant's HTML, a segment's name or an alert switched off bumps the
 * configuration version but not the shape, and the next page still answers from its token.
 *
 * In the shape, because the claims depend on it:
 * - what the enabled segments (and the models they use) read: each counter's windows, lifetime
 *   totals, traits (`tokenReads`) — `w` holds counts positionally per window, `o` and `r` by key;
 * - the site's time zone (`d`, the windows' day edges, the cap ledger's day) and the retention
 *   horizon (windows past it are clamped to it);
 * - the scoring rules and the daily decay: the score `s` and the cap ledger `k` are what these
 *   rules made of the pages since the read, and the consumer applies a queued page with the
 *   rules of its own time, so a token of other rules could differ from what D1 will hold;
 * - the running experiments and their arms (keys and weights, in order): `x` carries only running
 *   experiments' arms, and an arm not carried is reassigned from the weights.
 *
 * Not in it, because no claim depends on it: segment thresholds, priorities, names and labels
 * (the token holds counts; the decide applies the current rules to them), the tier thresholds
 * and fit points (applied to `s` and the traits at decide time), variants, slots, categories
 * (a page's category is counted when the page is), experiments that are not running, alerts.
 */
import type { CompiledConfig } from './compile';
import { hash53 } from './hash53';
import { tokenReads } from './token-reads';

const shapes = new WeakMap<CompiledConfig, string>();

/**
 * The configuration's profile shape: up to 11 base-36 characters, computed once per compiled
 * configuration. Deterministic: sets and maps are sorted, so the order of segments, rules or
 * conditions in the configuration does not change it.
 * @example profileShape(compileConfig(demo)) === profileShape(compileConfig(demoWithNewHtml)) // true
 */
export function profileShape(config: CompiledConfig): string {
  let shape = shapes.get(config);
  if (shape !== undefined) return shape;
  const reads = tokenReads(config);
  const byKey = <T>(entries: [string, T][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const source = config.source;
  const parts = {
    zone: config.calendar.timeZone,
    retention: config.retentionDays,
    windows: byKey([...reads.windows]),
    totals: [...reads.totals].sort(),
    traits: [...reads.traits].sort(),
    rules: byKey(
      source.scoring.rules.map((r) => [
        r.id,
        [r.eventType, byKey(Object.entries(r.match ?? {})), r.points, r.dailyCap ?? null, r.enabled !== false],
      ]),
    ),
    decay: source.scoring.settings.decayPerDay,
    running: byKey(source.experiments.filter((e) => e.status === 'running').map((e) => [e.id, e.arms.map((a) => [a.key, a.weight])])),
  };
  shape = hash53(JSON.stringify(parts)).toString(36);
  shapes.set(config, shape);
  return shape;
}

/**
 * Whether a token's claims can be read with `config`: built with this very version, or with
 * one of the same profile shape. Tokens issued before the shape existed carry no `f`: the
 * version alone decides.
 * @example if (!tokenFits(claims, config)) return read();
 */
export function tokenFits(claims: { c: string; f?: string }, config: CompiledConfig): boolean {
  return claims.c === config.version || (typeof claims.f === 'string' && claims.f === profileShape(config));
}
