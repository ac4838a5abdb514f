/**
 * @module
 * The message inside sales receives (the `standard` body; the Slack message is made from it):
 * who the member is, score and tier, the reasons for the score, the last events, one sentence
 * and a link to the member in the console. Built from facts the consumer reads once, at the
 * first attempt, and stored: every retry sends the same bytes.
 */
import type { AlertLanguage, AlertPayload, AlertReason, AlertRecentEvent, AlertTrigger } from '../../schema/alerts';
import type { ScoringRule } from '../../schema/config';
import { type Activity, summarize } from './summary';
import { ruleLabel } from './words';

/** Reasons cover the points earned in this many days before the alert fired. */
export const REASONS_WINDOW_DAYS = 30;
export const MAX_REASONS = 10;
export const MAX_RECENT = 10;

/** Points one scoring rule earned in the window (summed from the stored per-event breakdown). */
export interface ReasonRow {
  ruleId: string;
  points: number;
  count: number;
  lastAt: number;
}

export interface RecentRow {
  type: string;
  at: number;
  url: string | null;
  props: Record<string, unknown>;
}

export interface MessageFacts {
  deliveryId: string;
  kind: 'alert' | 'test';
  firedAt: number;
  alert: { id: string; name: string; trigger: AlertTrigger; language: AlertLanguage };
  member: { id: string; traits: Record<string, unknown> };
  score: number;
  tier: 'hot' | 'warm' | 'cold';
  segment: { key: string; name: string } | null;
  /** The score line of a tier or score trigger. */
  line: number | null;
  reasons: ReasonRow[];
  activities: Activity[];
  recent: RecentRow[];
  rules: Pick<ScoringRule, 'id' | 'eventType' | 'match'>[];
  consoleOrigin: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rules that earned points, most points first (ties: most recent, then id), at most 10.
 * @example rankReasons([{ruleId: 'page_view', points: 5, count: 5, lastAt: 2}, {ruleId: 'form_inquiry', points: 50, count: 1, lastAt: 1}], [], 'en')[0].ruleId // 'form_inquiry'
 */
export function rankReasons(rows: readonly ReasonRow[], rules: MessageFacts['rules'], lang: AlertLanguage): AlertReason[] {
  return rows
    .filter((r) => r.points > 0)
    .sort((a, b) => b.points - a.points || b.lastAt - a.lastAt || a.ruleId.localeCompare(b.ruleId))
    .slice(0, MAX_REASONS)
    .map((r) => ({
      ruleId: r.ruleId,
      label: ruleLabel(
        rules.find((x) => x.id === r.ruleId),
        lang,
        r.ruleId,
      ),
      points: r.points,
      count: r.count,
      lastAt: iso(r.lastAt),
    }));
}

/** The last events, newest first, at most 10. */
export function recentEvents(rows: readonly RecentRow[]): AlertRecentEvent[] {
  return [...rows]
    .sort((a, b) => b.at - a.at)
    .slice(0, MAX_RECENT)
    .map((e) => ({ type: e.type, at: iso(e.at), url: e.url, props: e.props }));
}

/**
 * The member's page in the console.
 * @example memberUrl('https://edge.example.com', 'm 42') // 'https://edge.example.com/admin/members/m%2042'
 */
export function memberUrl(consoleOrigin: string, memberId: string): string {
  return `${consoleOrigin.replace(/\/+$/, '')}/admin/members/${encodeURIComponent(memberId)}`;
}

const TEST_PREFIX: Record<AlertLanguage, string> = { ja: '【テスト送信】', en: '[Test] ' };

/**
 * @example buildPayload(facts).summary // 'SaaS・120名の○○社が料金ページを3回見て…'
 */
export function buildPayload(f: MessageFacts): AlertPayload {
  const lang = f.alert.language;
  const summary = summarize({
    lang,
    memberId: f.member.id,
    traits: f.member.traits,
    activities: f.activities,
    trigger: f.alert.trigger,
    score: f.score,
    tier: f.tier,
    segmentName: f.segment?.name ?? null,
    line: f.line,
  });
  return {
    type: f.kind === 'test' ? 'alert.test' : 'alert.fired',
    id: f.deliveryId,
    occurredAt: iso(f.firedAt),
    alert: { id: f.alert.id, name: f.alert.name },
    trigger: f.alert.trigger,
    member: { id: f.member.id, traits: f.member.traits },
    segment: f.segment,
    score: { value: f.score, tier: f.tier },
    reasons: rankReasons(f.reasons, f.rules, lang),
    recent: recentEvents(f.recent),
    summary: f.kind === 'test' ? `${TEST_PREFIX[lang]}${summary}` : summary,
    adminUrl: memberUrl(f.consoleOrigin, f.member.id),
  };
}
