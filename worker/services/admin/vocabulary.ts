/**
 * @module
 * Reads and replaces the display-name vocabulary (one JSON value in `settings`, key
 * `vocabulary`). It is console data, never read on the visitor's path, so a write does not
 * bump the configuration version.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { schema } from '../../db/client';
import { Vocabulary, withBase } from '../../schema/vocabulary';

const KEY = 'vocabulary';

/** The stored names over the base ones; a missing or unreadable row gives the base names. */
export async function loadVocabulary(db: Db): Promise<Vocabulary> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, KEY)).get();
  const parsed = Vocabulary.safeParse(row?.value);
  return withBase(parsed.success ? parsed.data : null);
}

/**
 * @example await saveVocabulary(db, {events: {}, props: {}, traits: {industry: {ja: '業種', en: 'Industry'}}})
 */
export async function saveVocabulary(db: Db, vocabulary: Vocabulary): Promise<Vocabulary> {
  await db
    .insert(schema.settings)
    .values({ key: KEY, value: vocabulary })
    .onConflictDoUpdate({ target: schema.settings.key, set: { value: sql`excluded.value` } });
  return withBase(vocabulary);
}
