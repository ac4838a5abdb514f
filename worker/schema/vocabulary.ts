/**
 * @module
 * Display names for the keys the site sends (event types, event props and their values, member
 * traits and their known values), in Japanese and English. Keys stay the stable identity the
 * rules and the API use; the console shows these names wherever it would show a key.
 *
 * `GET|PUT /api/vocabulary` → `{events: {<type>: {ja, en}}, props: {<prop>: {ja, en, values?}},
 * traits: {<key>: {ja, en, values?: {<value>: {ja, en}}}}}`.
 */
import { z } from 'zod';
import { DimensionProp, EventType } from './config';

/** A name in both languages; either may be left empty (the other, then the key, stands in). */
export const Label = z.object({
  ja: z.string().trim().max(100).default(''),
  en: z.string().trim().max(100).default(''),
});
export type Label = z.infer<typeof Label>;

/** Values are matched as text (`employees: 50` is the value "50"). */
const ValueKey = z.string().min(1).max(200);

export const LabelWithValues = Label.extend({
  values: z.record(ValueKey, Label).optional(),
});
export type LabelWithValues = z.infer<typeof LabelWithValues>;

export const Vocabulary = z.object({
  events: z.partialRecord(EventType, Label).default({}),
  props: z.partialRecord(DimensionProp, LabelWithValues).default({}),
  traits: z.record(z.string().min(1).max(64), LabelWithValues).default({}),
});
export type Vocabulary = z.infer<typeof Vocabulary>;
export type VocabularyInput = z.input<typeof Vocabulary>;

/** The names every site starts with: the fixed event types and props. Traits are the site's own. */
export const BASE_VOCABULARY: Vocabulary = {
  events: {
    page_view: { ja: 'ページ閲覧', en: 'Page view' },
    download: { ja: '資料ダウンロード', en: 'Download' },
    video_view: { ja: '動画視聴', en: 'Video view' },
    email_open: { ja: 'メール開封', en: 'Email open' },
    email_click: { ja: 'メール内クリック', en: 'Email click' },
    seminar_signup: { ja: 'セミナー申込', en: 'Seminar signup' },
    seminar_attend: { ja: 'セミナー参加', en: 'Seminar attendance' },
    form_inquiry: { ja: '問い合わせ', en: 'Inquiry' },
    login: { ja: 'ログイン', en: 'Login' },
    survey_answer: { ja: 'アンケート回答', en: 'Survey answer' },
    conversion: { ja: 'コンバージョン', en: 'Conversion' },
    custom: { ja: 'カスタムイベント', en: 'Custom event' },
  },
  props: {
    category: { ja: 'ページカテゴリ', en: 'Page category' },
    kind: { ja: '種類', en: 'Kind' },
    goal: { ja: 'ゴール', en: 'Goal' },
    name: { ja: '名前', en: 'Name' },
    campaign: { ja: 'キャンペーン', en: 'Campaign' },
    seminar: { ja: 'セミナー', en: 'Seminar' },
    form: { ja: 'フォーム', en: 'Form' },
    survey: { ja: 'アンケート', en: 'Survey' },
    video: { ja: '動画', en: 'Video' },
    asset: { ja: '資料', en: 'Asset' },
  },
  traits: {},
};

/**
 * The stored vocabulary over the base one: a site's names win, base names fill the gaps.
 * @example withBase({events: {}, props: {}, traits: {industry: {ja: '業種', en: 'Industry'}}}).events.page_view // {ja: 'ページ閲覧', …}
 */
export function withBase(stored: Vocabulary | null): Vocabulary {
  if (!stored) return structuredClone(BASE_VOCABULARY);
  const props: Vocabulary['props'] = structuredClone(BASE_VOCABULARY.props);
  for (const [k, v] of Object.entries(stored.props)) props[k as DimensionProp] = { ...props[k as DimensionProp], ...v };
  return { events: { ...BASE_VOCABULARY.events, ...stored.events }, props, traits: stored.traits };
}
