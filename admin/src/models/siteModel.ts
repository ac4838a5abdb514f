/**
 * @module
 * The site's settings (its time zone), loaded and saved through the typed API client.
 */
import { signal } from '@preact/signals';
import { api, ApiFailure, unwrap } from '../api/client';
import { toFieldErrors, type FieldErrors } from '../lib/issues';
import { loadConfig } from './configModel';

export const savedZone = signal<string | null>(null);
export const zoneDraft = signal('UTC');
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
}

export async function saveSite(): Promise<boolean> {
  siteSaving.value = true;
  siteErrors.value = {};
  siteFailure.value = null;
  try {
    const site = await unwrap(api.site.$put({ json: { timeZone: zoneDraft.value } }));
    savedZone.value = site.timeZone;
    await loadConfig();
    return true;
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
