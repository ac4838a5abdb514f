/**
 * @module
 * `POST /api/changes/:id/restore`: puts a change's `before` back. Reads the entity as it is now,
 * lets the pure planner (core/change-restore.ts) decide, then writes with the same statements an
 * edit uses, logged as a `restore` by the request's actor, in one batch. A refusal is the
 * planner's coded 409; restoring a version the entity already has is 409 `restore_unchanged`.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { schema } from '../../db/client';
import {
  type AlertSnapshot,
  type CategoriesSnapshot,
  type OrderSnapshot,
  planRestore,
  type SegmentSnapshot,
  type SiteSnapshot,
  type SlotSnapshot,
} from '../../core/change-restore';
import { siteCalendar } from '../../core/zone';
import type { Env } from '../../env';
import { ApiError, notFound } from '../../errors';
import { newWebhookSecret } from '../../lib/webhook-signature';
import type { ChangeEntity, RestoreResult } from '../../schema/changes';
import type { Experiment, SiteConfig, Variant } from '../../schema/config';
import type { PropensityModel } from '../../schema/propensity';
import type { Vocabulary } from '../../schema/vocabulary';
import { invalidateAlertRules } from '../alerts/rules';
import { targetProblem } from '../alerts/target';
import { loadSiteConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { type ActorContext, alertSnapshot, changeById, type ChangeEntry, logChange } from './changes';
import { commitConfig, commitLogged } from './commit';
import {
  categoryWrites,
  experimentWrites,
  scoringWrites,
  segmentWrites,
  slotWrites,
  variantWrites,
  vocabularyWrite,
} from './config-writes';
import { modelWrite } from '../propensity';
import { readSiteSettings, redayStatements, writeSiteSettings } from './site-settings';
import { loadStoredVocabulary } from './vocabulary';

type Statement = Parameters<typeof commitConfig>[1][number];

/** The entity as it is now (as the log would snapshot it), or null when it does not exist. */
async function currentState(db: Db, config: SiteConfig, entity: ChangeEntity, id: string): Promise<unknown> {
  switch (entity) {
    case 'segment':
      return config.segments.find((s) => s.key === id) ?? null;
    case 'segment_order':
      return { keys: config.segments.map((s) => s.key) };
    case 'scoring':
      return config.scoring;
    case 'categories':
      return { rules: config.categories };
    case 'vocabulary':
      return loadStoredVocabulary({ db });
    case 'slot':
      return config.slots.find((s) => s.key === id) ?? null;
    case 'variant':
      return config.variants.find((v) => v.id === id) ?? null;
    case 'experiment':
      return config.experiments.find((e) => e.id === id) ?? null;
    case 'alert': {
      const row = await db.select().from(schema.alerts).where(eq(schema.alerts.id, id)).get();
      return row ? alertSnapshot(row) : null;
    }
    case 'site':
      return readSiteSettings({ db });
    case 'model':
      return config.models?.find((m) => m.key === id) ?? null;
    case 'alert_secret':
      return null;
  }
}

/** Content that comes back with a segment or slot; pieces re-created since are left as they are. */
const returningContent = (db: Db, config: SiteConfig, variants: Variant[] | undefined, now: number) =>
  (variants ?? []).filter((v) => !config.variants.some((x) => x.id === v.id)).flatMap((v) => variantWrites.insert(db, v, now));

interface Writes {
  statements: Statement[];
  /** The state before the restore, as the log keeps it (with content a deletion takes along). */
  before: unknown;
  secret?: string;
}

interface Target {
  d1: D1Database;
  db: Db;
  env: Env;
  config: SiteConfig;
  entity: ChangeEntity;
  id: string;
  current: unknown;
  after: unknown;
  now: number;
  consoleOrigin: string;
}

async function writesFor({ d1, db, env, config, entity, id, current, after, now, consoleOrigin }: Target): Promise<Writes> {
  const withContent = (key: 'slot' | 'segment') =>
    after === null && current ? { ...(current as object), variants: config.variants.filter((v) => v[key] === id) } : current;
  switch (entity) {
    case 'segment': {
      const s = after as SegmentSnapshot | null;
      if (!s) return { statements: segmentWrites.delete(db, id), before: withContent('segment') };
      if (!current) {
        const { variants, ...segment } = s;
        return { statements: [...segmentWrites.insert(db, segment), ...returningContent(db, config, variants, now)], before: null };
      }
      return { statements: segmentWrites.update(db, s), before: current };
    }
    case 'segment_order':
      return { statements: segmentWrites.order(db, (after as OrderSnapshot).keys), before: current };
    case 'scoring':
      return { statements: scoringWrites(db, after as SiteConfig['scoring']), before: current };
    case 'categories':
      return { statements: categoryWrites(db, (after as CategoriesSnapshot).rules), before: current };
    case 'vocabulary':
      return { statements: [vocabularyWrite(db, after as Vocabulary)], before: current };
    case 'slot': {
      const s = after as SlotSnapshot | null;
      if (!s) return { statements: slotWrites.delete(db, id), before: withContent('slot') };
      if (!current) {
        const { variants, ...slot } = s;
        return { statements: [...slotWrites.insert(db, slot), ...returningContent(db, config, variants, now)], before: null };
      }
      return { statements: slotWrites.update(db, s), before: current };
    }
    case 'variant': {
      const v = after as Variant | null;
      if (!v) return { statements: variantWrites.delete(db, id), before: current };
      return { statements: current ? variantWrites.update(db, v) : variantWrites.insert(db, v, now), before: current };
    }
    case 'experiment': {
      const e = after as Experiment | null;
      if (!e) return { statements: experimentWrites.delete(db, id), before: current };
      return { statements: current ? experimentWrites.update(db, e) : experimentWrites.insert(db, e, now), before: current };
    }
    case 'alert':
      return alertWrites(db, env, id, current as AlertSnapshot | null, after as AlertSnapshot | null, now, consoleOrigin);
    case 'site': {
      // As the settings screen's save does: a new zone re-dates the stored days in the same batch.
      const site = after as SiteSnapshot;
      const was = current as SiteSnapshot;
      const reday = was.timeZone === site.timeZone ? [] : await redayStatements({ d1, db }, siteCalendar(site.timeZone));
      return { statements: [writeSiteSettings(db, site), ...reday], before: current };
    }
    case 'model': {
      const m = after as PropensityModel | null;
      if (!m) return { statements: [db.delete(schema.propensityModels).where(eq(schema.propensityModels.key, id))], before: current };
      return { statements: [modelWrite(db, m)], before: current };
    }
    case 'alert_secret':
      // The planner refuses these before any write is planned.
      throw new ApiError(409, 'restore_secret', 'A signing secret is never kept; rotate it again for a new one');
  }
}

async function alertWrites(
  db: Db,
  env: Env,
  id: string,
  current: AlertSnapshot | null,
  a: AlertSnapshot | null,
  now: number,
  consoleOrigin: string,
): Promise<Writes> {
  if (!a) return { statements: [db.delete(schema.alerts).where(eq(schema.alerts.id, id))], before: current };
  // The address must still be one this edge may call (the rules may have tightened since).
  const problem = await targetProblem(a.destination.url, env);
  if (problem) {
    throw new ApiError(409, 'restore_invalid', `The webhook URL of this version is not allowed (${problem})`, undefined, undefined, {
      reason: 'url_not_allowed',
    });
  }
  const fields = {
    name: a.name,
    enabled: a.enabled,
    trigger: a.trigger,
    destination: a.destination,
    cooldownDays: a.cooldownDays,
    updatedAt: now,
  };
  if (current) {
    // As an edit does: switching it on again clears the reason it was switched off.
    const disabledReason = a.enabled ? null : current.disabledReason;
    return {
      statements: [
        db
          .update(schema.alerts)
          .set({ ...fields, disabledReason })
          .where(eq(schema.alerts.id, id)),
      ],
      before: current,
    };
  }
  // The old signing secret was never logged: a re-created alert gets a new one, shown once.
  const secret = newWebhookSecret();
  const row = { id, ...fields, secret, consoleOrigin, disabledReason: null, createdAt: now };
  return { statements: [db.insert(schema.alerts).values(row)], before: null, secret };
}

/**
 * @example const { change, secret } = await restoreChange(c.var.svc, c, c.req.param('id'), origin);
 */
export async function restoreChange(
  ctx: ServiceContext,
  actor: ActorContext,
  changeId: string,
  consoleOrigin: string,
): Promise<RestoreResult> {
  const { d1, db, env, now } = ctx;
  const change = await changeById(ctx, changeId);
  if (!change) throw notFound('Change');
  const config = await loadSiteConfig(ctx);
  const current = await currentState(db, config, change.entity, change.entityId);
  const plan = planRestore({ entity: change.entity, target: change.before, current, config, nowIso: new Date(now).toISOString() });
  if (plan.kind === 'refuse') throw new ApiError(409, plan.code, plan.message, undefined, undefined, plan.params);
  if (plan.kind === 'unchanged') throw new ApiError(409, 'restore_unchanged', 'This is already the current version');

  const writes = await writesFor({
    d1,
    db,
    env,
    config,
    entity: change.entity,
    id: change.entityId,
    current,
    after: plan.after,
    now,
    consoleOrigin,
  });
  const entry: ChangeEntry = {
    ...logChange(actor, change.entity, change.entityId, writes.before, plan.after),
    action: 'restore',
    restoredFrom: change.id,
  };
  // Display names are console data: no configuration version to bump.
  const commit = change.entity === 'vocabulary' || change.entity === 'alert_secret' ? commitLogged : commitConfig;
  const [logged] = await commit(ctx, writes.statements, [entry]);
  if (change.entity === 'alert') invalidateAlertRules();
  return writes.secret ? { change: logged!, secret: writes.secret } : { change: logged! };
}
