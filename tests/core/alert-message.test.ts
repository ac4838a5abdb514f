/**
 * What inside sales reads (worker/core/alerts/summary.ts, message.ts, slack.ts): the sentence in
 * both languages from cases/alert-summary.json, the reasons and recent events of the body, and
 * the Slack rendering of the same message.
 */
import { describe, expect, it } from 'vitest';
import { buildPayload, type MessageFacts, rankReasons, recentEvents } from '../../worker/core/alerts/message';
import { slackEscape, slackMessage } from '../../worker/core/alerts/slack';
import { type Activity, summarize } from '../../worker/core/alerts/summary';
import { ruleLabel } from '../../worker/core/alerts/words';
import { DEFAULT_SCORING_RULES } from '../../worker/core/defaults';
import type { AlertLanguage, AlertTrigger } from '../../worker/schema/alerts';
import cases from './cases/alert-summary.json';

describe('summarize', () => {
  it.each(cases.sentences)('$name', (c) => {
    expect(
      summarize({
        lang: c.lang as AlertLanguage,
        memberId: c.memberId,
        traits: c.traits,
        activities: c.activities as Activity[],
        trigger: c.trigger as AlertTrigger,
        score: c.score,
        tier: c.tier as 'hot',
        segmentName: c.segmentName,
        line: c.line,
      }),
    ).toBe(c.summary);
  });
});

const T = Date.UTC(2026, 11, 1, 10);
const facts = (over: Partial<MessageFacts> = {}): MessageFacts => ({
  deliveryId: 'msg_1',
  kind: 'alert',
  firedAt: T,
  alert: {
    id: 'alt_1',
    name: 'ホットリードになったら IS に通知',
    trigger: { type: 'segment_entered', segment: 'hot_lead' },
    language: 'ja',
  },
  member: { id: 'm-42', traits: { company: '○○社', industry: 'SaaS', employees: 120 } },
  score: 86,
  tier: 'hot',
  segment: { key: 'hot_lead', name: 'ホットリード' },
  line: null,
  reasons: [
    { ruleId: 'page_view', points: 6, count: 6, lastAt: T - 1000 },
    { ruleId: 'form_inquiry', points: 50, count: 1, lastAt: T - 5000 },
    { ruleId: 'page_view_pricing', points: 9, count: 3, lastAt: T - 2000 },
    { ruleId: 'capped_rule', points: 0, count: 0, lastAt: T },
  ],
  activities: [{ type: 'form_inquiry', category: null, kind: null, count: 1, points: 50 }],
  recent: [
    { type: 'page_view', at: T - 3000, url: 'https://x.test/a', props: {} },
    { type: 'form_inquiry', at: T - 1000, url: null, props: { form: 'contact' } },
  ],
  rules: DEFAULT_SCORING_RULES,
  consoleOrigin: 'https://edge.example.com/',
  ...over,
});

describe('buildPayload', () => {
  it('has the documented shape, reasons by points with labels, recent newest first, a member link', () => {
    const p = buildPayload(facts());
    expect(p).toMatchObject({
      type: 'alert.fired',
      id: 'msg_1',
      occurredAt: '2026-12-01T10:00:00.000Z',
      alert: { id: 'alt_1', name: 'ホットリードになったら IS に通知' },
      trigger: { type: 'segment_entered', segment: 'hot_lead' },
      member: { id: 'm-42', traits: { company: '○○社', industry: 'SaaS', employees: 120 } },
      segment: { key: 'hot_lead', name: 'ホットリード' },
      score: { value: 86, tier: 'hot' },
      adminUrl: 'https://edge.example.com/admin/members/m-42',
    });
    expect(p.reasons).toEqual([
      { ruleId: 'form_inquiry', label: '問い合わせフォーム', points: 50, count: 1, lastAt: new Date(T - 5000).toISOString() },
      { ruleId: 'page_view_pricing', label: 'ページ閲覧（料金ページ）', points: 9, count: 3, lastAt: new Date(T - 2000).toISOString() },
      { ruleId: 'page_view', label: 'ページ閲覧', points: 6, count: 6, lastAt: new Date(T - 1000).toISOString() },
    ]);
    expect(p.recent.map((e) => e.type)).toEqual(['form_inquiry', 'page_view']);
    expect(p.summary).toBe('SaaS・120名の○○社が問い合わせフォームを送信し、スコア86で「ホットリード」になりました');
  });

  it('marks a test as a test', () => {
    const p = buildPayload(facts({ kind: 'test', alert: { ...facts().alert, language: 'en' } }));
    expect(p.type).toBe('alert.test');
    expect(p.summary.startsWith('[Test] ')).toBe(true);
  });

  it('keeps at most 10 reasons and 10 recent events', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ ruleId: `r${i}`, points: i + 1, count: 1, lastAt: T - i }));
    expect(rankReasons(many, [], 'en').map((r) => r.points)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const events = Array.from({ length: 15 }, (_, i) => ({ type: 'page_view', at: T - i * 1000, url: null, props: {} }));
    const recent = recentEvents(events);
    expect(recent).toHaveLength(10);
    expect(recent[0]!.at).toBe(new Date(T).toISOString());
  });

  it('labels rules by what they match, in both languages', () => {
    const pricing = DEFAULT_SCORING_RULES.find((r) => r.id === 'page_view_pricing');
    const wp = DEFAULT_SCORING_RULES.find((r) => r.id === 'download_whitepaper');
    expect(ruleLabel(pricing, 'en')).toBe('Page view (pricing page)');
    expect(ruleLabel(wp, 'ja')).toBe('資料ダウンロード（ホワイトペーパー）');
    expect(ruleLabel(undefined, 'ja', 'deleted_rule')).toBe('deleted_rule');
  });
});

describe('slackMessage', () => {
  it('says the same with text and blocks, and a button to the member', () => {
    const p = buildPayload(facts());
    const m = slackMessage(p, 'ja');
    expect(m.text).toBe(p.summary);
    const json = JSON.stringify(m.blocks);
    expect(json).toContain('問い合わせフォーム: +50点');
    expect(json).toContain('https://edge.example.com/admin/members/m-42');
    expect(json).toContain('ホットリード');
  });

  it('escapes member data so it cannot mention the channel or forge links', () => {
    const p = buildPayload(facts({ member: { id: 'm-1', traits: { company: '<!channel> & <https://evil.test|click>' } } }));
    const m = slackMessage(p, 'en');
    const all = m.text + JSON.stringify(m.blocks);
    expect(all).not.toContain('<!channel>');
    expect(all).not.toContain('<https://evil.test');
    expect(slackEscape('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
  });
});
