/**
 * @module
 * The one human sentence of an alert, in the alert's language: who the member is, what they did
 * lately (the activities that earned the most points) and the line they crossed —
 * "SaaS・120名の○○社が料金ページを3回見て資料をダウンロードし、スコア86でホットになりました".
 */
import type { AlertLanguage, AlertTrigger } from '../../schema/alerts';
import { categoryName, EVENT_NAMES, kindName, TIER_NAMES } from './words';

/** Events of one kind in the reasons window: a type, narrowed by page category or document kind. */
export interface Activity {
  type: string;
  category: string | null;
  kind: string | null;
  count: number;
  points: number;
}

export interface SummaryFacts {
  lang: AlertLanguage;
  memberId: string;
  traits: Record<string, unknown>;
  activities: Activity[];
  trigger: AlertTrigger;
  score: number;
  tier: 'hot' | 'warm' | 'cold';
  segmentName: string | null;
  /** The score line of a score trigger. */
  line: number | null;
}

/** How many activities one sentence names. */
export const MAX_ACTIVITIES = 2;

const text = (v: unknown) =>
  typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null;

function who(f: SummaryFacts): string {
  const company = text(f.traits.company);
  const industry = text(f.traits.industry);
  const employees = typeof f.traits.employees === 'number' && Number.isFinite(f.traits.employees) ? f.traits.employees : null;
  if (f.lang === 'ja') {
    const described = [industry, employees !== null ? `${employees}名` : null].filter(Boolean).join('・');
    const name = company ?? `会員 ${f.memberId}`;
    return described ? `${described}の${name}` : name;
  }
  const described = [industry, employees !== null ? `${employees} employees` : null].filter(Boolean).join(', ');
  const name = company ?? `Member ${f.memberId}`;
  return described ? `${name} (${described})` : name;
}

/** A Japanese activity as a clause: the て-form joins it to the next, the stem ends the list. */
function jaClause(a: Activity): { te: string; stem: string } {
  const n = a.count;
  const times = n > 1 ? `${n}回` : '';
  switch (a.type) {
    case 'page_view':
      return { te: `${categoryName(a.category, 'ja')}を${times}見て`, stem: `${categoryName(a.category, 'ja')}を${times}閲覧し` };
    case 'download': {
      const what = `${kindName(a.kind, 'ja')}を${n > 1 ? `${n}件` : ''}ダウンロード`;
      return { te: `${what}して`, stem: `${what}し` };
    }
    case 'form_inquiry':
      return { te: `問い合わせフォームを${times}送信して`, stem: `問い合わせフォームを${times}送信し` };
    case 'seminar_signup':
      return { te: `セミナーに${times}申し込んで`, stem: `セミナーに${times}申し込み` };
    case 'seminar_attend':
      return { te: `セミナーに${times}参加して`, stem: `セミナーに${times}参加し` };
    case 'email_open':
      return { te: `メールを${times}開封して`, stem: `メールを${times}開封し` };
    case 'email_click':
      return { te: `メールのリンクを${times}クリックして`, stem: `メールのリンクを${times}クリックし` };
    case 'video_view':
      return { te: `動画を${times}見て`, stem: `動画を${times}視聴し` };
    case 'login':
      return { te: `${times}ログインして`, stem: `${times}ログインし` };
    case 'survey_answer':
      return { te: `アンケートに${times}回答して`, stem: `アンケートに${times}回答し` };
    default: {
      const name = EVENT_NAMES[a.type]?.ja ?? a.type;
      return { te: `${name}を${n}回行って`, stem: `${name}を${n}回行い` };
    }
  }
}

const plural = (noun: string) => (/[^aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`);
const bare = (s: string) => s.replace(/^(the|a|an) /, '');
const timesEn = (n: number) => (n === 1 ? '' : n === 2 ? ' twice' : ` ${n} times`);

function enClause(a: Activity): string {
  const n = a.count;
  switch (a.type) {
    case 'page_view':
      return `viewed ${categoryName(a.category, 'en')}${timesEn(n)}`;
    case 'download':
      return n === 1 ? `downloaded ${kindName(a.kind, 'en')}` : `downloaded ${n} ${plural(bare(kindName(a.kind, 'en')))}`;
    case 'form_inquiry':
      return `sent the inquiry form${timesEn(n)}`;
    case 'seminar_signup':
      return n === 1 ? 'signed up for a seminar' : `signed up for ${n} seminars`;
    case 'seminar_attend':
      return n === 1 ? 'attended a seminar' : `attended ${n} seminars`;
    case 'email_open':
      return n === 1 ? 'opened an email' : `opened emails ${n} times`;
    case 'email_click':
      return n === 1 ? 'clicked a link in an email' : `clicked links in emails ${n} times`;
    case 'video_view':
      return n === 1 ? 'watched a video' : `watched videos ${n} times`;
    case 'login':
      return `logged in${timesEn(n)}`;
    case 'survey_answer':
      return n === 1 ? 'answered a survey' : `answered ${n} surveys`;
    default:
      return `did "${a.type}"${timesEn(n)}`;
  }
}

function listEn(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function outcome(f: SummaryFacts): string {
  const t = f.trigger;
  if (f.lang === 'ja') {
    if (t.type === 'segment_entered') return `スコア${f.score}で「${f.segmentName ?? t.segment}」になりました`;
    if (t.type === 'tier_reached') return `スコア${f.score}で${TIER_NAMES[f.tier].ja}になりました`;
    return `スコアが${f.score}に達しました（基準${f.line ?? t.score}）`;
  }
  if (t.type === 'segment_entered') return `entered “${f.segmentName ?? t.segment}” with a score of ${f.score}`;
  if (t.type === 'tier_reached') return `became ${TIER_NAMES[f.tier].en} with a score of ${f.score}`;
  return `reached a score of ${f.score} (line: ${f.line ?? t.score})`;
}

/**
 * The activities a sentence names: those that earned points, most points first (then most often).
 * @example pickActivities([{type: 'page_view', category: null, kind: null, count: 9, points: 9}, {type: 'form_inquiry', category: null, kind: null, count: 1, points: 50}])[0].type // 'form_inquiry'
 */
export function pickActivities(all: readonly Activity[]): Activity[] {
  return all
    .filter((a) => a.points > 0 && a.count > 0)
    .sort((a, b) => b.points - a.points || b.count - a.count || a.type.localeCompare(b.type))
    .slice(0, MAX_ACTIVITIES);
}

/**
 * @example summarize({lang: 'ja', memberId: 'm-42', traits: {company: '○○社', industry: 'SaaS', employees: 120},
 *   activities: [{type: 'page_view', category: 'pricing', kind: null, count: 3, points: 12}, {type: 'download', category: null, kind: 'document', count: 1, points: 10}],
 *   trigger: {type: 'tier_reached', tier: 'hot'}, score: 86, tier: 'hot', segmentName: null, line: 80})
 *   // 'SaaS・120名の○○社が料金ページを3回見て資料をダウンロードし、スコア86でホットになりました'
 */
export function summarize(f: SummaryFacts): string {
  const acts = pickActivities(f.activities);
  if (f.lang === 'ja') {
    if (!acts.length) return `${who(f)}が${outcome(f)}`;
    const clauses = acts.map(jaClause);
    const chain =
      clauses
        .slice(0, -1)
        .map((c) => c.te)
        .join('') + clauses.at(-1)!.stem;
    return `${who(f)}が${chain}、${outcome(f)}`;
  }
  if (!acts.length) return `${who(f)} ${outcome(f)}.`;
  return `${who(f)} ${listEn(acts.map(enClause))}, and ${outcome(f)}.`;
}
