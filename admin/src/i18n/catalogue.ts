/**
 * @module
 * The console's one text catalogue: the chosen language, `t(key, params)` (typed keys, plural
 * forms by `Intl.PluralRules`, placeholders) and `fmt` (every number and date the console shows,
 * through Intl). The words live in admin/src/i18n/en/ and admin/src/i18n/ja/, split by domain;
 * each language is its own chunk, loaded before the first render and on a switch, so the initial
 * download carries one language, not two.
 *
 * @example
 *   await loadLanguage('ja');
 *   lang.value = 'ja';
 *   t('confirm.delete', { name: 'hero' }) // 'hero を削除しますか？'
 *   t('history.count', { count: 1 }) // '1 change' in English, '1 件の変更' in Japanese
 */
import { signal } from '@preact/signals';
import type { Lang } from '@worker/core/types';
import type { Dictionary, MessageKey, Params, Plural, Text } from './types';

export type { Lang } from '@worker/core/types';
export type { MessageKey, Params } from './types';

export const LANG_STORAGE_KEY = 'dw.admin.lang';

/** `ja*` browsers get Japanese; everyone else English. A remembered choice wins. */
export function initialLang(stored: string | null, browserLanguages: readonly string[]): Lang {
  if (stored === 'ja' || stored === 'en') return stored;
  const first = browserLanguages[0] ?? 'en';
  return first.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** The console's language; components that call `t()` re-render when it changes. */
export const lang = signal<Lang>(
  initialLang(
    storage()?.getItem(LANG_STORAGE_KEY) ?? null,
    typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language],
  ),
);

const dictionaries: Partial<Record<Lang, Dictionary>> = {};

// Dynamic imports: Vite makes each language a chunk of its own.
const loaders: Record<Lang, () => Promise<Dictionary>> = {
  en: () => import('./en').then((m) => m.en),
  ja: () => import('./ja').then((m) => m.ja),
};

/** Makes a language's words available (tests and the full bundle register both at once). */
export function registerLanguage(l: Lang, dictionary: Dictionary): void {
  dictionaries[l] = dictionary;
}

/** Loads a language's chunk once. @example await loadLanguage(lang.value) */
export async function loadLanguage(l: Lang): Promise<void> {
  dictionaries[l] ??= await loaders[l]();
}

/** Switches the language once its words are loaded, and remembers the choice. */
export async function setLang(next: Lang): Promise<void> {
  await loadLanguage(next);
  lang.value = next;
  storage()?.setItem(LANG_STORAGE_KEY, next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Whether a key built at run time (`history.field.${f}`) is in the catalogue. */
export function hasText(key: string): key is MessageKey {
  const dictionary = dictionaries[lang.value] ?? dictionaries.en;
  return !!dictionary && key in dictionary;
}

const locale = () => (lang.value === 'ja' ? 'ja-JP' : 'en-US');

// Intl objects are costly to build; one per locale and option set.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>();
function intl<T extends Intl.NumberFormat | Intl.DateTimeFormat | Intl.PluralRules>(
  kind: string,
  options: object,
  make: (locale: string) => T,
): T {
  const key = `${kind}|${locale()}|${JSON.stringify(options)}`;
  let hit = cache.get(key) as T | undefined;
  if (!hit) {
    hit = make(locale());
    cache.set(key, hit);
  }
  return hit;
}

/** A number with the Intl options given, for the current language. */
export function formatNumber(n: number, options: Intl.NumberFormatOptions = {}): string {
  return intl('n', options, (l) => new Intl.NumberFormat(l, options)).format(n);
}

/** A date or time with the Intl options given, for the current language. */
export function formatDate(at: string | number | Date, options: Intl.DateTimeFormatOptions): string {
  return intl('d', options, (l) => new Intl.DateTimeFormat(l, options)).format(new Date(at));
}

/** Numbers, dates and percentages in the chosen language (Intl). */
export const fmt = {
  /** @example fmt.number(12345) // '12,345' */
  number: (n: number, digits = 0) => formatNumber(n, { maximumFractionDigits: digits }),
  /** @example fmt.percent(0.0727) // '7.3%' */
  percent: (x: number | null) =>
    x === null ? '—' : formatNumber(x, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  dateTime: (at: string | number | null) => (at === null ? '—' : formatDate(at, { dateStyle: 'medium', timeStyle: 'short' })),
  date: (at: string | number | null) => (at === null ? '—' : formatDate(at, { dateStyle: 'medium' })),
};

function pluralForm(text: Plural, params: Params): string {
  const count = Number(params.count ?? params.n ?? Number.NaN);
  if (!Number.isFinite(count)) return text.other;
  if (count === 0 && text.zero !== undefined) return text.zero;
  const category = intl('p', {}, (l) => new Intl.PluralRules(l)).select(count);
  return text[category] ?? text.other;
}

// A number in a sentence reads as the language writes it (12,345); text is left as it is.
const param = (value: string | number) =>
  typeof value === 'number' ? formatNumber(value, { maximumFractionDigits: Number.isInteger(value) ? 0 : 3 }) : value;

/**
 * The console's words for a key in the current language. `{name}` placeholders are filled
 * from `params` (numbers formatted for the language); a key with plural forms picks one by
 * `params.count` (or `params.n`).
 * @example t('confirm.delete', {name: 'hero'}) // 'hero を削除しますか？'
 * @example t('history.count', {count: 2}) // '2 changes'
 */
export function t(key: MessageKey, params: Params = {}): string {
  const text: Text | undefined = dictionaries[lang.value]?.[key] ?? dictionaries.en?.[key];
  if (text === undefined) return key;
  const form = typeof text === 'string' ? text : pluralForm(text, params);
  return form.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? param(params[name]!) : m));
}
