/**
 * @module
 * The configuration as it is now, for the admin's reports. `getConfig(ctx)` alone would return
 * whatever this isolate cached, which may predate an experiment created through another
 * isolate; reading the version stamp (one tiny statement, batched with the report's own
 * queries where possible) reloads only when the configuration actually changed.
 */
import type { CompiledConfig } from '../../core/compile';
import { currentConfig, getConfig, parseVersionValue } from '../../services/config-store';
import type { ServiceContext } from '../context';

/** The stamp row; `value` is JSON text, as drizzle's json mode stores it. */
export function versionStatement(d1: D1Database): D1PreparedStatement {
  return d1.prepare(`SELECT value FROM settings WHERE key = 'config_version'`);
}

/** Same reading as `currentConfig`'s, so the stamp compares equal to the cached one. */
export function parseVersion(row: { value?: unknown } | undefined): string {
  return parseVersionValue(row?.value);
}

/** @example const config = await configAt(c.var.svc, version); // compiled at that stamp */
export async function configAt(ctx: Pick<ServiceContext, 'db'>, version: string): Promise<CompiledConfig> {
  return getConfig(ctx, version);
}

export { currentConfig };
