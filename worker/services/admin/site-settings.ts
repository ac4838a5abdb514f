/**
 * @module
 * The site's settings (its time zone, the variant preview's stylesheet). Changing the zone re-dates what is stored by day in the
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
import type { ServiceContext } from '../context';

/** The settings as stored and logged: every field present (`previewStylesheet` null when unset). */
export type StoredSiteSettings = Required<{ [K in keyof SiteSettings]: Exclude<SiteSettings[K], undefined> }>;

/**
 * @example await readSiteSettings(c.var.svc) // {timeZone: 'Asia/Tokyo', previewStylesheet: null}
 */
export async function readSiteSettings({ db }: Pick<ServiceContext, 'db'>): Promise<StoredSiteSettings> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, 'site')).get();
  // drizzle parses the JSON column; a value it could not parse arrives as text.
  const site = (
    typeof row?.value === 'string' ? parseJsonColumn<Partial<SiteSettings>>(row.value, {}) : (row?.value ?? {})
  ) as Partial<SiteSettings>;
  return {
    timeZone: typeof site.timeZone === 'string' && site.timeZone ? site.timeZone : 'UTC',
    previewStylesheet: typeof site.previewStylesheet === 'string' && site.previewStylesheet ? site.previewStylesheet : null,
  };
}

/**
 * A PUT's body over what is stored: a field the body leaves out keeps its stored value.
 * @example mergeSiteSettings({timeZone: 'UTC', previewStylesheet: 'https://a/s.css'}, {timeZone: 'Asia/Tokyo'}) // keeps the stylesheet
 */
export function mergeSiteSettings(stored: StoredSiteSettings, body: SiteSettings): StoredSiteSettings {
  return {
    timeZone: body.timeZone,
    previewStylesheet: body.previewStylesheet === undefined ? stored.previewStylesheet : body.previewStylesheet || null,
  };
}

/**
 * The origin the console's policy allows stylesheets from, or null: what the variant preview
 * needs to render with the site's stylesheet, and nothing more.
 * @example stylesheetOrigin({previewStylesheet: 'https://www.example.jp/css/a.css'}) // 'https://www.example.jp'
 */
export function stylesheetOrigin(site: Pick<StoredSiteSettings, 'previewStylesheet'>): string | null {
  if (!site.previewStylesheet) return null;
  try {
    return new URL(site.previewStylesheet).origin;
  } catch {
    return null;
  }
}

/** The statement that stores the settings (put it in the config commit). */
export function writeSiteSettings(db: Db, site: StoredSiteSettings) {
  return db
    .insert(schema.settings)
    .values({ key: 'site', value: site })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } });
}

/**
 * The updates that move stored `day` columns to `calendar`'s days: for each span of constant
 * offset over the stored instants, `day = ⌊(at + offset) / 1 day⌋`.
 * @example await commitConfig(c.var.svc, [writeSiteSettings(db, site), ...(await redayStatements(c.var.svc, calendar))]);
 */
export async function redayStatements(
  { d1, db }: Pick<ServiceContext, 'd1' | 'db'>,
  calendar: SiteCalendar,
): Promise<BatchItem<'sqlite'>[]> {
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
