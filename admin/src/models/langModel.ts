/**
 * @module
 * The console's language: from the browser's language on the first visit, switchable, and
 * remembered in localStorage. `t()` and the formatters read the `lang` signal, so every
 * component that uses them re-renders on a switch.
 */
import { signal } from '@preact/signals';
import type { EventType } from '@worker/schema/config';
import { en, ja, type MessageKey } from '../i18n/messages';
import { vocabulary } from './vocabularyState';

export type { Lang } from '@worker/core/types';
import type { Lang } from '@worker/core/types';
export const LANG_STORAGE_KEY = 'dw.admin.lang';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, ja };

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

export const lang = signal<Lang>(
  initialLang(
    storage()?.getItem(LANG_STORAGE_KEY) ?? null,
    typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language],
  ),
);

export function setLang(next: Lang): void {
  lang.value = next;
  storage()?.setItem(LANG_STORAGE_KEY, next);
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/**
 * @example t('confirm.delete', {name: 'hero'}) // 'hero を削除しますか？'
 */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[lang.value][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const EVENT_LABELS: Record<Lang, Record<EventType, string>> = {
  en: {
    page_view: 'Page view',
    download: 'Download',
    video_view: 'Video view',
    email_open: 'Email open',
    email_click: 'Email click',
    seminar_signup: 'Seminar signup',
    seminar_attend: 'Seminar attendance',
    form_inquiry: 'Inquiry form',
    login: 'Login',
    survey_answer: 'Survey answer',
    conversion: 'Conversion',
    custom: 'Custom event',
  },
  ja: {
    page_view: 'ページ閲覧',
    download: '資料ダウンロード',
    video_view: '動画視聴',
    email_open: 'メール開封',
    email_click: 'メール内クリック',
    seminar_signup: 'セミナー申込',
    seminar_attend: 'セミナー参加',
    form_inquiry: '問い合わせフォーム',
    login: 'ログイン',
    survey_answer: 'アンケート回答',
    conversion: 'コンバージョン',
    custom: 'カスタムイベント',
  },
};

/** A readable name for an event type: the site's own name (vocabulary), else the console's. */
export function eventLabel(type: string): string {
  const site = (vocabulary.value?.events as Record<string, { ja: string; en: string }> | undefined)?.[type];
  return site?.[lang.value]?.trim() || ((EVENT_LABELS[lang.value] as Record<string, string>)[type] ?? type);
}

const locale = () => (lang.value === 'ja' ? 'ja-JP' : 'en-US');

/** Numbers, dates and percentages in the chosen language (Intl). */
export const fmt = {
  number: (n: number, digits = 0) => new Intl.NumberFormat(locale(), { maximumFractionDigits: digits }).format(n),
  percent: (x: number | null) =>
    x === null ? '—' : new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x),
  dateTime: (iso: string | number | null) =>
    iso === null ? '—' : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
  date: (iso: string | number | null) =>
    iso === null ? '—' : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso)),
};
