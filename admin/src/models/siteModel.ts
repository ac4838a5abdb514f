/**
 * @module
 * The site's settings (its time zone, the variant preview's stylesheet): `siteSettings`, the saved
 * ones, read app-wide (the content editor's preview uses the stylesheet), and the settings
 * screen's editor over them, through the typed API client.
 */
import { signal } from '@preact/signals';
import { api, unwrap } from '../api/client';
import { createForm } from '../lib/form';
import { loadConfig } from './configModel';

/** Settings as the API stores them (no stylesheet: null). */
export interface SavedSite {
  timeZone: string;
  previewStylesheet: string | null;
}

/** The settings as saved; null until first loaded. */
export const siteSettings = signal<SavedSite | null>(null);

/** Reads the saved settings (the settings screen on every visit, the content editor once). */
export async function loadSiteSettings(): Promise<SavedSite> {
  const site = await unwrap(api.site.$get());
  siteSettings.value = { timeZone: site.timeZone, previewStylesheet: site.previewStylesheet ?? null };
  return siteSettings.value;
}

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

/** The form as typed: the stylesheet's address ('' clears it). Field names are the API's, so its refusals land on them. */
export interface SiteDraft {
  timeZone: string;
  previewStylesheet: string;
}

export const siteDraftOf = (s: SavedSite | null): SiteDraft => ({
  timeZone: s?.timeZone ?? 'UTC',
  previewStylesheet: s?.previewStylesheet ?? '',
});

/**
 * Saved; `reload` when the stylesheet changed: the console's security policy names the
 * stylesheet's origin when the page is served, so the preview uses it after a reload.
 */
export interface SiteSaved {
  reload: boolean;
}

/**
 * The settings screen's editor.
 * @example const ed = createSiteEditor(siteDraftOf(siteSettings.value)); await ed.load(); ed.update({timeZone: 'Asia/Tokyo'}); await ed.save() // {reload: false}
 */
export function createSiteEditor(start: SiteDraft) {
  const form = createForm({
    initial: start,
    submit: async (d: SiteDraft): Promise<SiteSaved> => {
      const previewStylesheet = d.previewStylesheet.trim() || null;
      const before = siteSettings.value?.previewStylesheet ?? null;
      const site = await unwrap(api.site.$put({ json: { timeZone: d.timeZone, previewStylesheet } }));
      siteSettings.value = { timeZone: site.timeZone, previewStylesheet: site.previewStylesheet ?? null };
      await loadConfig();
      return { reload: siteSettings.value.previewStylesheet !== before };
    },
    after: () => siteDraftOf(siteSettings.value),
  });
  return {
    ...form,
    /** Reads the saved settings and starts the form again from them. */
    async load(): Promise<void> {
      form.reset(siteDraftOf(await loadSiteSettings()));
    },
  };
}
export type SiteEditor = ReturnType<typeof createSiteEditor>;
