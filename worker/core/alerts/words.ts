/**
 * @module
 * The words an alert message uses for events, page categories and document kinds, in Japanese
 * and English. Inside sales reads these, not keys: "料金ページ", not "page_view (category =
 * pricing)". Unknown values fall back to the value itself, quoted.
 */
import type { AlertLanguage } from '../../schema/alerts';
import type { ScoringRule } from '../../schema/config';

type Words = Record<AlertLanguage, string>;

export const EVENT_NAMES: Record<string, Words> = {
  page_view: { ja: 'ページ閲覧', en: 'Page view' },
  download: { ja: '資料ダウンロード', en: 'Download' },
  video_view: { ja: '動画視聴', en: 'Video view' },
  email_open: { ja: 'メール開封', en: 'Email open' },
  email_click: { ja: 'メールのクリック', en: 'Email click' },
  seminar_signup: { ja: 'セミナー申込', en: 'Seminar signup' },
  seminar_attend: { ja: 'セミナー参加', en: 'Seminar attendance' },
  form_inquiry: { ja: '問い合わせフォーム', en: 'Inquiry form' },
  login: { ja: 'ログイン', en: 'Login' },
  survey_answer: { ja: 'アンケート回答', en: 'Survey answer' },
  conversion: { ja: 'コンバージョン', en: 'Conversion' },
  custom: { ja: 'カスタムイベント', en: 'Custom event' },
};

/** Page categories: "the pricing page", "料金ページ". */
export const CATEGORY_NAMES: Record<string, Words> = {
  pricing: { ja: '料金ページ', en: 'the pricing page' },
  product: { ja: '製品ページ', en: 'product pages' },
  blog: { ja: 'ブログ', en: 'blog posts' },
  case_study: { ja: '導入事例', en: 'case studies' },
  case_studies: { ja: '導入事例', en: 'case studies' },
  contact: { ja: '問い合わせページ', en: 'the contact page' },
  news: { ja: 'お知らせ', en: 'news' },
  docs: { ja: 'ドキュメント', en: 'documentation' },
};

/** Document kinds of a download. */
export const KIND_NAMES: Record<string, Words> = {
  whitepaper: { ja: 'ホワイトペーパー', en: 'a white paper' },
  case_study: { ja: '導入事例', en: 'a case study' },
  document: { ja: '資料', en: 'a document' },
  brochure: { ja: 'パンフレット', en: 'a brochure' },
  catalog: { ja: 'カタログ', en: 'a catalog' },
};

const quote = (v: string, lang: AlertLanguage) => (lang === 'ja' ? `「${v}」` : `"${v}"`);

/**
 * A page category as a reader says it.
 * @example categoryName('pricing', 'ja') // '料金ページ'
 * @example categoryName('seminar', 'en') // '"seminar" pages'
 */
export function categoryName(category: string | null, lang: AlertLanguage): string {
  if (!category) return lang === 'ja' ? 'ページ' : 'pages';
  const known = Object.hasOwn(CATEGORY_NAMES, category) ? CATEGORY_NAMES[category] : undefined;
  if (known) return known[lang];
  return lang === 'ja' ? `${quote(category, lang)}のページ` : `${quote(category, lang)} pages`;
}

/**
 * A download's kind as a reader says it.
 * @example kindName('whitepaper', 'ja') // 'ホワイトペーパー'
 */
export function kindName(kind: string | null, lang: AlertLanguage): string {
  const known = kind && Object.hasOwn(KIND_NAMES, kind) ? KIND_NAMES[kind] : undefined;
  if (known) return known[lang];
  if (!kind) return KIND_NAMES.document![lang];
  return lang === 'ja' ? `資料${quote(kind, lang)}` : `a ${quote(kind, lang)} document`;
}

const bare = (s: string) => s.replace(/^(the|a|an) /, '');

/**
 * A scoring rule's label: its event, narrowed by what it matches.
 * @example ruleLabel({id: 'pv', eventType: 'page_view', match: {category: 'pricing'}, points: 3, dailyCap: null, enabled: true}, 'ja') // 'ページ閲覧（料金ページ）'
 * @example ruleLabel({id: 'fi', eventType: 'form_inquiry', match: {}, points: 50, dailyCap: null, enabled: true}, 'en') // 'Inquiry form'
 */
export function ruleLabel(rule: Pick<ScoringRule, 'eventType' | 'match'> | undefined, lang: AlertLanguage, fallbackId = ''): string {
  if (!rule) return fallbackId;
  const event = EVENT_NAMES[rule.eventType]?.[lang] ?? rule.eventType;
  const parts = Object.entries(rule.match ?? {}).map(([prop, value]) => {
    if (prop === 'category') return bare(categoryName(value, lang));
    if (prop === 'kind') return bare(kindName(value, lang));
    return `${prop}: ${value}`;
  });
  if (!parts.length) return event;
  return lang === 'ja' ? `${event}（${parts.join('、')}）` : `${event} (${parts.join(', ')})`;
}

export const TIER_NAMES: Record<'hot' | 'warm' | 'cold', Words> = {
  hot: { ja: 'ホット', en: 'hot' },
  warm: { ja: 'ウォーム', en: 'warm' },
  cold: { ja: 'コールド', en: 'cold' },
};
