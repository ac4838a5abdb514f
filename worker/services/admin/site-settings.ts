/**
 * @module
 * The site's settings (its time zone). Changing the zone re-dates what is stored by day in the
 * same batch as the change: experiment exposures and conversions keep their instant (`at`), so
 * their `day` is recomputed span by span of the new zone's offsets (one UPDATE per span and
 * table; a zone without DST is one span), and results by day read the new days at once.
 * Profiles are re-keyed lazily, when next read or written (core/rezone.ts).
 */
import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import { offsetSpans, type SiteCalendar } from '../../core/zone';
import { schema, type Db } from '../../db/client';
import type { SiteSettings } from '../../schema/config';
import { parseJsonColumn } from '../../lib/json-column';

/**
 * @example await readSiteSettings(db) // {timeZone: 'Asia/Tokyo'}
 */
export async function readSiteSettings(db: Db): Promise<SiteSettings> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, 'site')).get();
  // drizzle parses the JSON column; a value it could not parse arrives as text.
  const site = (
    typeof row?.value === 'string' ? parseJsonColumn<Partial<SiteSettings>>(row.value, {}) : (row?.value ?? {})
  ) as Partial<SiteSettings>;
  return { timeZone: typeof site.timeZone === 'string' && site.timeZone ? site.timeZone : 'UTC' };
}

/** The statement that stores the settings (put it in the config commit). */
export function writeSiteSettings(db: Db, site: SiteSettings) {
  return db
    .insert(schema.settings)
    .values({ key: 'site', value: site })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } });
}

/**
 * The updates that move stored `day` columns to `calendar`'s days: for each span of constant
 * offset over the stored instants, `day = ⌊(at + offset) / 1 day⌋`.
 * @example await commitConfig(db, [writeSiteSettings(db, site), ...(await redayStatements(d1, db, calendar))]);
 */
export async function redayStatements(d1: D1Database, db: Db, calendar: SiteCalendar): Promise<BatchItem<'sqlite'>[]> {
  const range = await d1
    .prepare(
      'SELECT MIN(lo) AS lo, MAX(hi) AS hi FROM (SELECT MIN(at) AS lo, MAX(at) AS hi FROM exposures UNION ALL SELECT MIN(at), MAX(at) FROM conversions)',
    )
    .first<{ lo: number | null; hi: number | null }>();
  if (range?.lo === null || range?.lo === undefined || range.hi === null) return [];
  const out: BatchItem<'sqlite'>[] = [];
  for (const span of offsetSpans(calendar, range.lo, range.hi)) {
    for (const table of [schema.exposures, schema.conversions]) {
      out.push(
        db
          .update(table)
          .set({ day: sql`CAST((${table.at} + ${span.offset}) / 86400000 AS INTEGER)` })
          .where(sql`${table.at} >= ${span.from} AND ${table.at} < ${span.to}`),
      );
    }
  }
  return out;
}
