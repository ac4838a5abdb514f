import { afterEach, describe, expect, it } from 'vitest';
import { en, ja } from '../../admin/src/i18n/messages';
import { eventLabel, fmt, initialLang, lang, t } from '../../admin/src/models/langModel';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

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
        ja[k] === en[k] &&
        /[a-z]{4,}/.test(en[k]) &&
        !/^(app\.name|variant\.html|variant\.title|experiments\.cvr|categories\.testUrl)$/.test(k),
    );
    expect(untranslated).toEqual([]);
  });
  it('both languages use the same placeholders', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ja[key]), key).toEqual(placeholders(en[key]));
    }
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
