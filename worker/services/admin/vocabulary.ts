/**
 * @module
 * Reads and replaces the display-name vocabulary (one JSON value in `settings`, key
 * `vocabulary`). It is console data, never read on the visitor's path, so a write does not
 * bump the configuration version.
 */
import { eq } from 'drizzle-orm';
import { schema } from '../../db/client';
import { Vocabulary, withBase } from '../../schema/vocabulary';
import type { ServiceContext } from '../context';
import { type ActorContext, logChange } from './changes';
import { commitLogged } from './commit';
import { vocabularyWrite } from './config-writes';

const KEY = 'vocabulary';

/** No names of the site's own (what the change log shows before the first save). */
export const NO_NAMES: Vocabulary = { events: {}, props: {}, traits: {} };

/**
 * The site's own names as stored, without the base ones.
 * @example await loadStoredVocabulary(c.var.svc) // {events: {}, props: {}, traits: {industry: {ja: '業種', en: 'Industry'}}}
 */
export async function loadStoredVocabulary({ db }: Pick<ServiceContext, 'db'>): Promise<Vocabulary> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, KEY)).get();
  const parsed = Vocabulary.safeParse(row?.value);
  return parsed.success ? parsed.data : NO_NAMES;
}

/**
 * The stored names over the base ones; a missing or unreadable row gives the base names.
 * @example const names = await loadVocabulary(c.var.svc);
 */
export async function loadVocabulary({ db }: Pick<ServiceContext, 'db'>): Promise<Vocabulary> {
  const row = await db.select().from(schema.settings).where(eq(schema.settings.key, KEY)).get();
  const parsed = Vocabulary.safeParse(row?.value);
  return withBase(parsed.success ? parsed.data : null);
}

/**
 * Replaces the site's names, logged as a change by the request's actor (same batch).
 * @example await saveVocabulary(c.var.svc, c, {events: {}, props: {}, traits: {industry: {ja: '業種', en: 'Industry'}}})
 */
export async function saveVocabulary(ctx: Pick<ServiceContext, 'db'>, actor: ActorContext, vocabulary: Vocabulary): Promise<Vocabulary> {
  const { db } = ctx;
  const before = await loadStoredVocabulary(ctx);
  await commitLogged(ctx, [vocabularyWrite(db, vocabulary)], [logChange(actor, 'vocabulary', 'vocabulary', before, vocabulary)]);
  return withBase(vocabulary);
}
