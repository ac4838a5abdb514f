/**
 * @module
 * Site configuration, read from D1 once per isolate and cached under a version stamp.
 * The hot path never reads configuration: the profile read also returns the current
 * `config_version`, and only a changed stamp triggers a reload (docs/architecture.md#the-storage-budget).
 */
import { asc, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { schema } from '../db/client';
import { compileConfig, type CompiledConfig } from '../core/compile';
import { DEFAULT_SCORING_SETTINGS } from '../core/defaults';
import type { ServiceContext } from './context';
import type { Experiment, FitRule, ScoringRule, ScoringSettings, SiteConfig, SiteSettings } from '../schema/config';

let cached: CompiledConfig | null = null;
let loading: Promise<CompiledConfig> | null = null;
/**
 * When this isolate last saw the stored stamp match `cached` (a read returned it, or it was just
 * loaded). A decide that reads nothing (a profile token, a new visitor) trusts the cache only for
 * `CONFIG_TRUST_MS` after that, so another isolate's edit reaches it within that time.
 */
let confirmedAt = 0;
/**
 * Bumped by every invalidation. A load or a stamp check that started before an edit may finish
 * after it with what D1 held before the edit; it must then neither fill the cache nor confirm it,
 * or the isolate would trust the old configuration for requests that read nothing.
 */
let generation = 0;
/** How long a cached configuration is used without seeing its stamp (docs/storage.md). */
export const CONFIG_TRUST_MS = 60_000;
/** Past this age the decide that used the cache also re-reads the stamp after answering. */
export const CONFIG_REFRESH_MS = 5_000;
/** Counts configuration loads, so tests and the bench can prove a warm isolate reads none. */
export const configLoads = { count: 0 };

/**
 * A scoring rule as the table gives it back (no cap is null, a rule without detail matches {}),
 * so what is logged on a save equals what a later read sees.
 * @example storedScoringRule({ id: 'r1', eventType: 'page_view', points: 1, enabled: true }) // {…, match: {}, dailyCap: null}
 */
export function storedScoringRule(
  r: Omit<ScoringRule, 'match' | 'dailyCap'> & Partial<Pick<ScoringRule, 'match' | 'dailyCap'>>,
): ScoringRule {
  return { id: r.id, eventType: r.eventType, match: r.match ?? {}, points: r.points, dailyCap: r.dailyCap ?? null, enabled: r.enabled };
}

/**
 * Loads every configuration table in one D1 batch (uncompiled, as the admin edits it).
 * @example const { segments } = await loadSiteConfig(c.var.svc);
 */
export async function loadSiteConfig({ db }: Pick<ServiceContext, 'db'>): Promise<SiteConfig> {
  const [settingsRows, rules, categories, segments, slots, variants, experiments, models] = await db.batch([
    db.select().from(schema.settings),
    db.select().from(schema.scoringRules).orderBy(asc(schema.scoringRules.position), asc(schema.scoringRules.id)),
    db.select().from(schema.categoryRules),
    db.select().from(schema.segments).orderBy(asc(schema.segments.priority), asc(schema.segments.key)),
    db.select().from(schema.slots).orderBy(asc(schema.slots.key)),
    db.select().from(schema.variants).orderBy(asc(schema.variants.createdAt), asc(schema.variants.id)),
    db.select().from(schema.experiments).orderBy(asc(schema.experiments.createdAt)),
    db.select().from(schema.propensityModels).orderBy(asc(schema.propensityModels.key)),
  ]);
  const setting = (key: string) => settingsRows.find((r) => r.key === key)?.value;
  const site = setting('site') as Partial<SiteSettings> | undefined;
  return {
    version: String(setting('config_version') ?? '0'),
    ...(site?.timeZone ? { timeZone: site.timeZone } : {}),
    models: models.map((m) => m.model),
    scoring: {
      rules: rules.map(storedScoringRule),
      settings: (setting('scoring') as ScoringSettings | undefined) ?? DEFAULT_SCORING_SETTINGS,
      fit: (setting('fit_rules') as FitRule[] | undefined) ?? [],
    },
    categories: categories.map((c) => ({ id: c.id, pattern: c.pattern, category: c.category, priority: c.priority })),
    segments: segments.map((s) => ({
      id: s.id,
      key: s.key,
      name: s.name,
      description: s.description,
      priority: s.priority,
      enabled: s.enabled,
      rule: s.rule,
    })),
    slots: slots.map((s) => ({ key: s.key, name: s.name })),
    variants: variants.map((v) => ({ id: v.id, slot: v.slot, segment: v.segment, name: v.name, html: v.html, enabled: v.enabled })),
    experiments: experiments.map(
      (e): Experiment => ({
        id: e.id,
        name: e.name,
        slot: e.slot,
        segment: e.segment,
        goal: e.goal,
        status: e.status,
        arms: e.arms,
        startedAt: e.startedAt,
        stoppedAt: e.stoppedAt,
      }),
    ),
  };
}

/**
 * The compiled configuration for `version` (the stamp the caller just read with the profile).
 * `version` undefined means "whatever is cached, or load it".
 * @example const config = await getConfig(ctx, state.configVersion);
 */
export async function getConfig(ctx: Pick<ServiceContext, 'db'>, version?: string): Promise<CompiledConfig> {
  return configAt(ctx, version, generation);
}

/** `getConfig` for a stamp read while the cache was at generation `seenAt`. */
function configAt(ctx: Pick<ServiceContext, 'db'>, version: string | undefined, seenAt: number): Promise<CompiledConfig> {
  if (cached && (version === undefined || cached.version === version)) {
    if (version !== undefined && seenAt === generation) confirmedAt = Date.now();
    return Promise.resolve(cached);
  }
  if (!loading) {
    const startedAt = generation;
    const load: Promise<CompiledConfig> = (async () => {
      configLoads.count++;
      const compiled = compileConfig(await loadSiteConfig(ctx));
      if (startedAt === generation) {
        cached = compiled;
        confirmedAt = Date.now();
      }
      return compiled;
    })().finally(() => {
      if (loading === load) loading = null;
    });
    loading = load;
  }
  return loading;
}

/**
 * The configuration as it is now: reads the version stamp (one tiny statement) and reloads only
 * when it changed. For reads outside the hot path (previews, member views, reports), where the
 * cached configuration of this isolate may predate an edit made through another isolate.
 * @example const config = await currentConfig(c.var.svc);
 */
export async function currentConfig(ctx: Pick<ServiceContext, 'd1' | 'db'>): Promise<CompiledConfig> {
  const seenAt = generation;
  const row = await ctx.d1.prepare(`SELECT value FROM settings WHERE key = 'config_version'`).first<{ value: unknown }>();
  return configAt(ctx, parseVersionValue(row?.value), seenAt);
}

/** The stamp's JSON text (as drizzle's json mode stores it) as a version string ('0' when unset). */
export function parseVersionValue(value: unknown): string {
  if (typeof value !== 'string') return '0';
  try {
    const v: unknown = JSON.parse(value);
    return typeof v === 'string' ? v : '0';
  } catch {
    return '0';
  }
}

/**
 * The cached configuration if its stamp was seen within `CONFIG_TRUST_MS`, with the age of that
 * sighting; null otherwise (the caller reads).
 * @example const trusted = trustedConfig(Date.now()); if (trusted) decideWithoutRead(trusted.config);
 */
export function trustedConfig(now: number): { config: CompiledConfig; age: number } | null {
  const age = now - confirmedAt;
  return cached && age <= CONFIG_TRUST_MS ? { config: cached, age } : null;
}

let rechecking: Promise<unknown> | null = null;

/**
 * Re-reads the stamp after a decide that used the cache without a read (one at a time per
 * isolate: concurrent decides share it). Returns the check to hand to `waitUntil`, or null when
 * one is already running.
 * @example const check = recheckConfig(svc); if (check) ctx.waitUntil(check);
 */
export function recheckConfig(svc: Pick<ServiceContext, 'd1' | 'db'>): Promise<unknown> | null {
  if (rechecking) return null;
  rechecking = currentConfig(svc)
    .catch(() => undefined)
    .finally(() => {
      rechecking = null;
    });
  return rechecking;
}

/** Forget the cache (this isolate). Other isolates notice through the version stamp. */
export function invalidateConfig(): void {
  cached = null;
  loading = null;
  generation++;
}

/** The statement that stamps a new configuration version; put it in the same batch as the change. */
export function bumpConfigVersion(db: Db) {
  invalidateConfig();
  const stamp = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  return db
    .insert(schema.settings)
    .values({ key: 'config_version', value: stamp })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } });
}
