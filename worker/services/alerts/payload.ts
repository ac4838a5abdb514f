/**
 * @module
 * Reads what a message says about a member (traits, the points each scoring rule earned in the
 * last 30 days from the stored per-event breakdown, activity counts, the last 10 events) in one
 * D1 batch of aggregates — bounded however many events the member has — and builds the body.
 * Runs in the queue consumer at the first attempt, never on the hot path.
 */
import { REASONS_WINDOW_DAYS, buildPayload, type ReasonRow, type RecentRow } from '../../core/alerts/message';
import type { Activity } from '../../core/alerts/summary';
import { scoreLine } from '../../core/alerts/trigger';
import { tierOf } from '../../core/scoring';
import { DAY_MS } from '../../core/types';
import { parseJsonColumn } from '../../lib/json-column';
import type { AlertDestination, AlertPayload, AlertTrigger } from '../../schema/alerts';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';

/** Browser events may be dated up to 5 minutes ahead; the firing batch's events count. */
const AHEAD_MS = 5 * 60_000;

export interface FiredDelivery {
  id: string;
  memberId: string;
  createdAt: number;
  snapshot: { score?: number; tier?: string; segment?: string | null };
  alert: { id: string; name: string; trigger: AlertTrigger; destination: AlertDestination; consoleOrigin: string };
}

/**
 * The body of a fired alert, or null when the member no longer exists (erased).
 * @example const payload = await firedPayload(ctx, delivery);
 */
export async function firedPayload({ d1, db }: Pick<ServiceContext, 'd1' | 'db'>, d: FiredDelivery): Promise<AlertPayload | null> {
  const until = d.createdAt + AHEAD_MS;
  const since = d.createdAt - REASONS_WINDOW_DAYS * DAY_MS;
  const [member, reasons, activities, recent] = await d1.batch<Record<string, unknown>>([
    d1.prepare('SELECT traits FROM members WHERE id = ?1').bind(d.memberId),
    d1
      .prepare(
        `SELECT json_extract(b.value, '$.ruleId') AS rule_id, SUM(json_extract(b.value, '$.points')) AS points,
           COUNT(*) AS count, MAX(e.at) AS last_at
         FROM events e, json_each(e.breakdown) b
         WHERE e.member_id = ?1 AND e.at > ?2 AND e.at <= ?3 AND json_extract(b.value, '$.points') > 0
         GROUP BY rule_id`,
      )
      .bind(d.memberId, since, until),
    d1
      .prepare(
        `SELECT type, CASE WHEN type = 'page_view' THEN json_extract(props, '$.category') END AS category,
           CASE WHEN type = 'download' THEN json_extract(props, '$.kind') END AS kind, COUNT(*) AS count, SUM(points) AS points
         FROM events WHERE member_id = ?1 AND at > ?2 AND at <= ?3
         GROUP BY 1, 2, 3`,
      )
      .bind(d.memberId, since, until),
    d1
      .prepare('SELECT type, at, url, props FROM events WHERE member_id = ?1 AND at <= ?2 ORDER BY at DESC LIMIT 10')
      .bind(d.memberId, until),
  ]);
  const m = member?.results[0];
  if (!m) return null;
  const config = await currentConfig({ d1, db });
  const settings = config.source.scoring.settings;
  const score = typeof d.snapshot.score === 'number' ? d.snapshot.score : 0;
  const segmentKey = d.snapshot.segment ?? null;
  return buildPayload({
    deliveryId: d.id,
    kind: 'alert',
    firedAt: d.createdAt,
    alert: { id: d.alert.id, name: d.alert.name, trigger: d.alert.trigger, language: d.alert.destination.language },
    member: { id: d.memberId, traits: parseJsonColumn<Record<string, unknown>>(m.traits, {}) },
    score,
    tier: tierOf(score, settings),
    segment: segmentKey ? { key: segmentKey, name: config.segmentNames.get(segmentKey) ?? segmentKey } : null,
    line: scoreLine(d.alert.trigger, settings),
    reasons: (reasons?.results ?? []).map(
      (r): ReasonRow => ({ ruleId: String(r.rule_id), points: Number(r.points), count: Number(r.count), lastAt: Number(r.last_at) }),
    ),
    activities: (activities?.results ?? []).map(
      (r): Activity => ({
        type: String(r.type),
        category: typeof r.category === 'string' ? r.category : null,
        kind: typeof r.kind === 'string' ? r.kind : null,
        count: Number(r.count),
        points: Number(r.points),
      }),
    ),
    recent: (recent?.results ?? []).map(
      (r): RecentRow => ({
        type: String(r.type),
        at: Number(r.at),
        url: (r.url as string | null) ?? null,
        props: parseJsonColumn(r.props, {}),
      }),
    ),
    rules: config.source.scoring.rules,
    consoleOrigin: d.alert.consoleOrigin,
  });
}

/**
 * A believable sample for "Send test": the alert's own trigger and language, a sample company
 * that just crossed the line, and the site's real scoring rules as reasons.
 * @example const payload = await samplePayload(c.var.svc, alert, deliveryId);
 */
export async function samplePayload(
  { d1, db, now }: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  alert: FiredDelivery['alert'],
  deliveryId: string,
): Promise<AlertPayload> {
  const config = await currentConfig({ d1, db });
  const settings = config.source.scoring.settings;
  const t = alert.trigger;
  const line = scoreLine(t, settings);
  const score = (line ?? settings.hotAt) + 6;
  const segmentKey = t.type === 'segment_entered' ? t.segment : null;
  const ja = alert.destination.language === 'ja';
  const hour = 3_600_000;
  // The site's own rule ids, so the sample's reasons read like real ones.
  const rule = (type: string, match: Record<string, string> = {}) =>
    config.source.scoring.rules.find((r) => {
      const has: Record<string, string | undefined> = r.match ?? {};
      return (
        r.eventType === type &&
        Object.keys(has).length === Object.keys(match).length &&
        Object.entries(match).every(([k, v]) => has[k] === v)
      );
    })?.id ?? type;
  return buildPayload({
    deliveryId,
    kind: 'test',
    firedAt: now,
    alert: { id: alert.id, name: alert.name, trigger: t, language: alert.destination.language },
    member: { id: 'sample-member', traits: { company: ja ? '株式会社サンプル' : 'Example Inc.', industry: 'SaaS', employees: 120 } },
    score,
    tier: tierOf(score, settings),
    segment: segmentKey ? { key: segmentKey, name: config.segmentNames.get(segmentKey) ?? segmentKey } : null,
    line,
    reasons: [
      { ruleId: rule('download'), points: 10, count: 1, lastAt: now - hour },
      { ruleId: rule('page_view', { category: 'pricing' }), points: 9, count: 3, lastAt: now - 2 * hour },
      { ruleId: rule('page_view'), points: 6, count: 6, lastAt: now - 2 * hour },
    ],
    activities: [
      { type: 'page_view', category: 'pricing', kind: null, count: 3, points: 12 },
      { type: 'download', category: null, kind: 'document', count: 1, points: 10 },
    ],
    recent: [
      { type: 'download', at: now - hour, url: 'https://www.example.com/files/guide.pdf', props: { asset: 'guide', kind: 'document' } },
      { type: 'page_view', at: now - 2 * hour, url: 'https://www.example.com/pricing', props: { category: 'pricing' } },
      { type: 'page_view', at: now - 3 * hour, url: 'https://www.example.com/pricing', props: { category: 'pricing' } },
    ],
    rules: config.source.scoring.rules,
    consoleOrigin: alert.consoleOrigin,
  });
}
