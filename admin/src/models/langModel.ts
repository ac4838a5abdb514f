/**
 * @module
 * The console's language (held by the catalogue, admin/src/i18n/catalogue.ts: from the browser's
 * language on the first visit, switchable, remembered in localStorage) and the names of event
 * types, which mix the site's own display names with the console's.
 */
import { hasText, lang, t } from '../i18n/catalogue';
import { vocabulary } from './vocabularyState';

// The catalogue is the one home of the language, the words and the formats; screens import
// them from here or from there.
export { fmt, initialLang, LANG_STORAGE_KEY, lang, setLang, t, type Lang } from '../i18n/catalogue';

/** A readable name for an event type: the site's own name (vocabulary), else the console's. */
export function eventLabel(type: string): string {
  const site = (vocabulary.value?.events as Record<string, { ja: string; en: string }> | undefined)?.[type];
  const key = `event.${type}`;
  return site?.[lang.value]?.trim() || (hasText(key) ? t(key) : type);
}
