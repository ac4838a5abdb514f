/**
 * @module
 * Reads and replaces the display-name vocabulary (one JSON value in `settings`, key
 * `vocabulary`). It is console data, never read on the visitor's path, so a write does not
 * bump the configuration version.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { schema } from '../../db/client';
import { Vocabulary, withBase } from '../../schema/vocabulary';
import { type ActorContext, logChange } from './changes';
import { commitLogged } from './commit';
import { vocabularyWrite } from './config-writes';

const KEY = 'vocabulary';

/** No names of the site's own (what the change log shows before the first save). */
export const NO_NAMES: Vocabulary = { events: {}, props: {}, traits: {} };

/** The site's own names as stored, without the base ones. */
export async function loadStoredVocabulary(db: Db): Promise<Vocabulary> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, KEY)).get();
  const parsed = Vocabulary.safeParse(row?.value);
  return parsed.success ? parsed.data : NO_NAMES;
}

/** The stored names over the base ones; a missing or unreadable row gives the base names. */
export async function loadVocabulary(db: Db): Promise<Vocabulary> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, KEY)).get();
  const parsed = Vocabulary.safeParse(row?.value);
  return withBase(parsed.success ? parsed.data : null);
}

/**
 * Replaces the site's names, logged as a change by the request's actor (same batch).
 * @example await saveVocabulary(c, db, {events: {}, props: {}, traits: {industry: {ja: '業種', en: 'Industry'}}})
 */
export async function saveVocabulary(c: ActorContext, db: Db, vocabulary: Vocabulary): Promise<Vocabulary> {
  const before = await loadStoredVocabulary(db);
  await commitLogged(db, [vocabularyWrite(db, vocabulary)], [logChange(c, 'vocabulary', 'vocabulary', before, vocabulary)]);
  return withBase(vocabulary);
}
