/**
 * @module
 * The site's settings (its time zone, the variant preview's stylesheet), loaded and saved
 * through the typed API client.
 */
import { signal } from '@preact/signals';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { loadConfig } from './configModel';

export const savedZone = signal<string | null>(null);
export const zoneDraft = signal('UTC');
/** The preview stylesheet as saved (null: none) and as typed ('' clears it). */
export const savedStylesheet = signal<string | null>(null);
export const stylesheetDraft = signal('');
export const siteErrors = signal<FieldErrors>({});
export const siteFailure = signal<ApiFailure | null>(null);
export const siteSaving = signal(false);

/**
 * Every IANA zone this browser knows, UTC first; the saved one is kept even if the browser
 * does not list it, so it never silently changes on save.
 */
export function zoneChoices(saved: string | null): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const list = ['UTC', ...all.filter((z) => z !== 'UTC')];
  return saved && !list.includes(saved) ? [saved, ...list] : list;
}

/**
 * The site's wall-clock time now, e.g. "2026/12/02 07:41" for Asia/Tokyo: shown next to the
 * choice so the marketer sees when the site's day starts.
 */
export function clockIn(timeZone: string, now: number, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(now);
  } catch {
    return '';
  }
}

export async function loadSite(): Promise<void> {
  const site = await unwrap(api.site.$get());
  savedZone.value = site.timeZone;
  zoneDraft.value = site.timeZone;
  savedStylesheet.value = site.previewStylesheet ?? null;
  stylesheetDraft.value = site.previewStylesheet ?? '';
}

/**
 * Saved; `reload` when the stylesheet changed: the console's security policy names the
 * stylesheet's origin when the page is served, so the preview uses it after a reload.
 */
export type SaveResult = false | { reload: boolean };

export async function saveSite(): Promise<SaveResult> {
  siteSaving.value = true;
  siteErrors.value = {};
  siteFailure.value = null;
  try {
    const previewStylesheet = stylesheetDraft.value.trim() || null;
    const site = await unwrap(api.site.$put({ json: { timeZone: zoneDraft.value, previewStylesheet } }));
    const reload = (site.previewStylesheet ?? null) !== savedStylesheet.value;
    savedZone.value = site.timeZone;
    savedStylesheet.value = site.previewStylesheet ?? null;
    await loadConfig();
    return { reload };
  } catch (err) {
    if (err instanceof ApiFailure) {
      siteErrors.value = toFieldErrors(err.issues);
      siteFailure.value = err;
      return false;
    }
    throw err;
  } finally {
    siteSaving.value = false;
  }
}
