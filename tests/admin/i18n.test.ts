/**
 * The console's one text catalogue: both languages complete with the same placeholders, every key
 * defined once across the parts, plural forms by Intl.PluralRules, numbers and dates through Intl,
 * and each language loaded as its own chunk.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { en, enParts, ja, jaParts } from '../../admin/src/i18n/all';
import { hasText, loadLanguage, setLang, fmt, initialLang, lang, t } from '../../admin/src/i18n/catalogue';
import type { Text } from '../../admin/src/i18n/types';
import { eventLabel } from '../../admin/src/lib/names';
import { eventTypes } from '../../worker/schema/config';

// All forms of a text (plural forms too), so placeholders are compared across every form.
const forms = (text: Text): string[] => (typeof text === 'string' ? [text] : Object.values(text));
const placeholders = (text: Text) => [...new Set(forms(text).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();
const plain = (text: Text) => forms(text).join(' ');

afterEach(() => {
  lang.value = 'en';
});

describe('dictionaries', () => {
  it('Japanese has every key, none empty, none left in English', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(ja[key], key).toBeTruthy();
    }
    const untranslated = (Object.keys(en) as (keyof typeof en)[]).filter(
      (k) =>
        plain(ja[k]) === plain(en[k]) &&
        /[a-z]{4,}/.test(plain(en[k])) &&
        !/^(app\.name|variant\.html|variant\.title|experiments\.cvr|categories\.testUrl|al\.error\.status)$/.test(k),
    );
    expect(untranslated).toEqual([]);
  });
  it('both languages use the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
  });
  it('every key is defined in one part only, and both languages split the same way', () => {
    const owners = new Map<string, string[]>();
    for (const [part, words] of Object.entries(enParts)) {
      for (const key of Object.keys(words)) owners.set(key, [...(owners.get(key) ?? []), part]);
      expect(Object.keys(jaParts[part as keyof typeof jaParts]).sort(), part).toEqual(Object.keys(words).sort());
    }
    expect([...owners].filter(([, parts]) => parts.length > 1)).toEqual([]);
  });
  it('every event type has a name in the catalogue', () => {
    for (const type of eventTypes) expect(hasText(`event.${type}`), type).toBe(true);
  });
  it('uses the words a Japanese marketer expects', () => {
    expect([
      ja['nav.segments'],
      ja['nav.scoring'],
      ja['nav.categories'],
      ja['nav.content'],
      ja['nav.experiments'],
      ja['nav.members'],
      ja['nav.preview'],
    ]).toEqual(['セグメント', 'スコアリング', 'ページカテゴリ', 'スロットとコンテンツ', '実験', '会員', 'プレビュー']);
    expect(ja['auth.signIn']).toBe('ログイン');
    expect(ja['auth.signOut']).toBe('ログアウト');
    expect(ja['common.save']).toBe('保存');
    expect(ja['confirm.delete']).toBe('{name} を削除しますか？');
  });
});

describe('language choice', () => {
  it.each([
    [null, ['ja-JP', 'en'], 'ja'],
    [null, ['ja'], 'ja'],
    [null, ['en-US', 'ja'], 'en'],
    [null, ['fr-FR'], 'en'],
    [null, [], 'en'],
    ['en', ['ja-JP'], 'en'],
    ['ja', ['en-US'], 'ja'],
    ['xx', ['ja-JP'], 'ja'],
  ] as const)('stored %s, browser %j → %s', (stored, langs, want) => {
    expect(initialLang(stored, langs)).toBe(want);
  });

  it('interpolates and switches language', () => {
    lang.value = 'ja';
    expect(t('confirm.delete', { name: 'hero' })).toBe('hero を削除しますか？');
    expect(eventLabel('page_view')).toBe('ページ閲覧');
    lang.value = 'en';
    expect(t('confirm.delete', { name: 'hero' })).toBe('Delete hero?');
    expect(eventLabel('form_inquiry')).toBe('Inquiry form');
    expect(eventLabel('something_else')).toBe('something_else');
  });

  it('picks plural forms with Intl.PluralRules, from count or n', () => {
    lang.value = 'en';
    expect(t('history.count', { count: 1 })).toBe('1 change');
    expect(t('history.count', { count: 2 })).toBe('2 changes');
    expect(t('history.count', { count: 0 })).toBe('0 changes');
    expect(t('q.members', { n: 1 })).toBe('1 member');
    expect(t('q.members', { n: 12345 })).toBe('12,345 members');
    expect(t('estimate.days', { count: 1 })).toBe('About 1 day to a conclusion at the current traffic.');
    lang.value = 'ja';
    expect(t('history.count', { count: 1 })).toBe('1 件の変更');
    expect(t('q.members', { n: 12345 })).toBe('会員 12,345人');
  });

  it('formats number parameters for the language and leaves text as it is', () => {
    lang.value = 'en';
    expect(t('confirm.delete', { name: '1000' })).toBe('Delete 1000?');
    expect(t('confirm.delete', { name: 1000 })).toBe('Delete 1,000?');
    expect(t('confirm.delete', { name: 0.125 })).toBe('Delete 0.125?');
  });

  it('loads a language before switching to it, and remembers nothing it cannot show', async () => {
    await loadLanguage('ja');
    await setLang('ja');
    expect(lang.value).toBe('ja');
    expect(t('common.save')).toBe('保存');
    await setLang('en');
    expect(t('common.save')).toBe('Save');
  });

  it('formats numbers, percentages and dates for the language', () => {
    lang.value = 'ja';
    expect(fmt.number(12345)).toBe('12,345');
    expect(fmt.percent(0.0727)).toBe('7.3%');
    expect(fmt.percent(null)).toBe('—');
    expect(fmt.date('2026-11-03T12:00:00Z')).toMatch(/2026\/11\/0?3/);
    lang.value = 'en';
    expect(fmt.date('2026-11-03T12:00:00Z')).toMatch(/Nov 3, 2026/);
  });
});
