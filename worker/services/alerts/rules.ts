/**
 * @module
 * The enabled alerts as trigger rules, read once per isolate and cached under the configuration
 * version stamp the profile read already returns (alert edits bump it), so the hot path reads
 * nothing for them on a warm isolate. Only members are alerted, so anonymous visitors never
 * even load them.
 */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client';
import type { AlertRule } from '../../core/alerts/trigger';
import { DAY_MS } from '../../core/types';
import type { ServiceContext } from '../context';

let cached: { version: string; rules: AlertRule[] } | null = null;
let loading: { version: string; promise: Promise<AlertRule[]> } | null = null;
/** Counts loads, so tests can prove a warm isolate reads none. */
export const alertRuleLoads = { count: 0 };

/**
 * @example const rules = await alertRules(c.var.svc, state.configVersion);
 */
export async function alertRules({ db }: Pick<ServiceContext, 'db'>, version: string): Promise<AlertRule[]> {
  if (cached?.version === version) return cached.rules;
  if (loading?.version === version) return loading.promise;
  const promise = (async () => {
    alertRuleLoads.count++;
    const rows = await db
      .select({ id: schema.alerts.id, trigger: schema.alerts.trigger, cooldownDays: schema.alerts.cooldownDays })
      .from(schema.alerts)
      .where(eq(schema.alerts.enabled, true));
    const rules = rows.map((r) => ({ id: r.id, trigger: r.trigger, cooldownMs: r.cooldownDays * DAY_MS }));
    cached = { version, rules };
    return rules;
  })().finally(() => {
    if (loading?.promise === promise) loading = null;
  });
  loading = { version, promise };
  return promise;
}

/** Forget the cache (this isolate); other isolates notice through the version stamp. */
export function invalidateAlertRules(): void {
  cached = null;
}
