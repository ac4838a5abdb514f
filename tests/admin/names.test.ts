/**
 * Names where the site has keys: rules, traits, arms and event types read in the marketer's
 * words from the vocabulary (falling back to the other language, then the key), and keys made
 * from names for new segments.
 */
// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Condition } from '../../worker/schema/config';
import { withBase } from '../../worker/schema/vocabulary';
import { keyFromName } from '../../admin/src/lib/keys';
import { armName, describeNamed, traitName, traitValueName, eventLabel } from '../../admin/src/lib/names';
import { config } from '../../admin/src/models/configModel';
import { lang } from '../../admin/src/i18n/catalogue';
import { fromDraft, rowErrors, toDraft } from '../../admin/src/models/vocabularyModel';
import { vocabulary } from '../../admin/src/models/vocabularyState';
import demo from '../../db/seed/demo.json';

beforeEach(() => {
  vocabulary.value = withBase(demo.vocabulary as never);
  config.value = demo as never;
});
afterEach(() => {
  lang.value = 'en';
  vocabulary.value = null;
  config.value = null;
});

const rules: [Condition, string, string][] = [
  [
    { type: 'behavior', event: 'seminar_attend', where: {}, withinDays: 30, op: 'gte', count: 1 },
    '30日以内に セミナー参加 が1回以上',
    'Seminar attendance ≥ 1 within 30 days',
  ],
  [
    { type: 'behavior', event: 'page_view', where: { category: 'pricing' }, withinDays: 7, op: 'gte', count: 2 },
    '7日以内に ページ閲覧 (ページカテゴリ = 料金) が2回以上',
    'Page view (Page category = Pricing) ≥ 2 within 7 days',
  ],
  [
    { type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'Manufacturing'] },
    '業種 が {IT・通信, 製造業} のいずれか',
    'Industry in {IT & telecom, Manufacturing}',
  ],
  [{ type: 'trait', trait: 'employees', op: 'gte', value: 50 }, '従業員数 が 50以上', 'Employees ≥ 50'],
  [{ type: 'trait', trait: 'unnamed_key', op: 'eq', value: 'x' }, 'unnamed_key が x', 'unnamed_key = x'],
  [
    {
      type: 'group',
      match: 'any',
      conditions: [{ type: 'behavior', event: 'download', where: { kind: 'whitepaper' }, withinDays: null, op: 'gte', count: 1 }],
    },
    'いずれかを満たす (これまでに 資料ダウンロード (資料の種類 = ホワイトペーパー) が1回以上)',
    'any of (Download (Asset kind = White paper) ≥ 1 all time)',
  ],
];

describe('rules in words', () => {
  it.each(rules)('%j', (c, jaText, enText) => {
    lang.value = 'ja';
    expect(describeNamed(c)).toBe(jaText);
    lang.value = 'en';
    expect(describeNamed(c)).toBe(enText);
  });

  it('falls back to the other language, then to the key', () => {
    vocabulary.value = withBase({ events: {}, props: {}, traits: { plan: { ja: '契約プラン', en: '' }, size: { ja: '', en: '' } } });
    lang.value = 'en';
    expect(traitName('plan')).toBe('契約プラン');
    expect(traitName('size')).toBe('size');
    expect(traitValueName('plan', 'pro')).toBe('pro');
  });

  it('event types read the site’s name first', () => {
    lang.value = 'ja';
    vocabulary.value = withBase({ events: { seminar_attend: { ja: 'ウェビナー参加', en: '' } }, props: {}, traits: {} });
    expect(eventLabel('seminar_attend')).toBe('ウェビナー参加');
    expect(eventLabel('login')).toBe('ログイン');
  });
});

describe('arms', () => {
  it('are named after their content; the control is the page as it is', () => {
    lang.value = 'ja';
    const exp = demo.experiments[0]!;
    expect(armName(exp as never, 'case_a')).toBe('Case A: 同業の導入事例');
    expect(armName(exp as never, 'control')).toBe('標準コンテンツ（コントロール）');
  });
});

describe('keys from names', () => {
  it.each([
    ['Hot Leads 2', [], 'hot_leads_2'],
    ['ＳａａＳ企業', [], 'saas'],
    ['セミナー参加者', ['segment_1', 'segment_2'], 'segment_3'],
    ['', [], 'segment_1'],
    ['Pricing fans', ['pricing_fans', 'pricing_fans_2'], 'pricing_fans_3'],
    ['x'.repeat(100), [], 'x'.repeat(60)],
  ])('%s (taken %j) → %s', (name, taken, key) => {
    const got = keyFromName(name, taken);
    expect(got).toBe(key);
    expect(got).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(got.length).toBeLessThanOrEqual(64);
  });
});

describe('the vocabulary editor', () => {
  it('round-trips the stored names through its rows', () => {
    const v = withBase(demo.vocabulary as never);
    const d = toDraft(v);
    expect(d.events).toHaveLength(12);
    expect(d.traits.find((r) => r.key === 'industry')?.values).toContainEqual({
      value: 'Manufacturing',
      ja: '製造業',
      en: 'Manufacturing',
    });
    const back = fromDraft(d);
    expect(back.traits).toEqual(v.traits);
    expect(back.props?.category).toEqual(v.props.category);
  });

  it('puts API issues (by key) on the row that has the key', () => {
    const d = toDraft(withBase(demo.vocabulary as never));
    const i = d.traits.findIndex((r) => r.key === 'employees');
    lang.value = 'ja';
    const errs = rowErrors(d, [{ path: ['traits', 'employees', 'ja'], code: 'too_big', params: { origin: 'string', maximum: 100 } }]);
    expect(errs).toEqual({ [`traits.${i}.ja`]: '100 文字以内で入力してください。' });
  });
});
