/**
 * @module
 * The same message as a Slack incoming-webhook post: `text` (the notification and the fallback)
 * and Block Kit `blocks` — the sentence, the facts as fields, the top reasons, the last events
 * and a button to the member. Slack's mrkdwn treats `&`, `<` and `>` as markup, so member data
 * is escaped: a company called "<!channel>" must not ping the channel.
 */
import type { AlertLanguage, AlertPayload } from '../../schema/alerts';
import { EVENT_NAMES, TIER_NAMES } from './words';

/** Slack's limits: a section's text ≤ 3000 characters, a field ≤ 2000, ≤ 10 fields. */
const MAX_SECTION = 3000;
const MAX_FIELD = 2000;
/** Events listed in the message (the full ten are in the standard body). */
const SLACK_RECENT = 5;

/**
 * Escapes text for Slack mrkdwn.
 * @example slackEscape('<!channel> & co') // '&lt;!channel&gt; &amp; co'
 */
export function slackEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const WORDS = {
  ja: {
    score: 'スコア',
    segment: 'セグメント',
    company: '会社',
    industry: '業種',
    employees: '従業員数',
    reasons: 'スコアの理由',
    recent: '最近の行動',
    open: '会員を開く',
    none: 'なし',
    pts: '点',
    times: '回',
  },
  en: {
    score: 'Score',
    segment: 'Segment',
    company: 'Company',
    industry: 'Industry',
    employees: 'Employees',
    reasons: 'Why this score',
    recent: 'Recent activity',
    open: 'Open member',
    none: 'none',
    pts: ' pts',
    times: '×',
  },
} as const;

/** Slack shows `<!date^unix^…|fallback>` in each reader's own time zone and language. */
const localTime = (isoText: string) => `<!date^${Math.floor(Date.parse(isoText) / 1000)}^{date_short_pretty} {time}|${isoText}>`;

/**
 * @example slackMessage(payload, 'ja').text // the summary sentence
 */
export function slackMessage(p: AlertPayload, lang: AlertLanguage): { text: string; blocks: unknown[] } {
  const w = WORDS[lang];
  const trait = (k: string) =>
    typeof p.member.traits[k] === 'string' || typeof p.member.traits[k] === 'number' ? String(p.member.traits[k]) : null;
  const tier = TIER_NAMES[p.score.tier][lang];
  const fields: string[] = [`*${w.score}*\n${p.score.value}${lang === 'ja' ? `（${tier}）` : ` (${tier})`}`];
  if (p.segment) fields.push(`*${w.segment}*\n${slackEscape(p.segment.name)}`);
  for (const [key, label] of [
    ['company', w.company],
    ['industry', w.industry],
    ['employees', w.employees],
  ] as const) {
    const v = trait(key);
    if (v) fields.push(`*${label}*\n${slackEscape(clip(v, MAX_FIELD - 40))}`);
  }
  const reasons = p.reasons.length
    ? p.reasons.map((r) => `• ${slackEscape(r.label)}: +${r.points}${w.pts} (${r.count}${w.times})`).join('\n')
    : w.none;
  const recent = p.recent.length
    ? p.recent
        .slice(0, SLACK_RECENT)
        .map((e) => {
          const name = EVENT_NAMES[e.type]?.[lang] ?? e.type;
          const detail = typeof e.props.category === 'string' ? ` (${slackEscape(e.props.category)})` : '';
          return `• ${localTime(e.at)} ${slackEscape(name)}${detail}`;
        })
        .join('\n')
    : w.none;
  const text = clip(p.summary, MAX_SECTION);
  return {
    text: slackEscape(text),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${slackEscape(clip(p.alert.name, 150))}*\n${slackEscape(text)}` } },
      { type: 'section', fields: fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: f })) },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*${w.reasons}*\n${reasons}`, MAX_SECTION) } },
      { type: 'section', text: { type: 'mrkdwn', text: clip(`*${w.recent}*\n${recent}`, MAX_SECTION) } },
      {
        type: 'actions',
        elements: [{ type: 'button', text: { type: 'plain_text', text: w.open }, url: p.adminUrl, style: 'primary' }],
      },
    ],
  };
}
