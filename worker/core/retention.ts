/**
 * @module
 * Event retention, the pure part: how far back raw events stay in D1, which chunk goes next,
 * what a deleted chunk leaves behind (a member's fold, archive lines and their index), and how
 * archived lines are named and filtered. The job that runs it is worker/services/retention.
 *
 * Raw events are not what decisions read: a decide reads the profile, whose counters, day
 * buckets and score already hold every event's effect, and experiment results read exposures and
 * conversions. Two things do replay raw events — the segment-history backfill (a bounded window)
 * and propensity training (a member's whole history) — so the horizon never cuts into the
 * first, and the second starts from the member's fold: the deleted events applied in the same
 * order, by the same core, as the replay would have applied them.
 */
import type { CompiledConfig } from './compile';
import { applyEvents, emptyProfile } from './profile';
import { DAY_MS, type Millis, type NormalizedEvent, type Profile } from './types';

/** Days raw events stay in D1 when `EVENT_RETENTION_DAYS` is not set. */
export const DEFAULT_RETENTION_DAYS = 400;
/** The longest segment-history backfill (services/segment-history.ts MAX_BACKFILL_DAYS). */
export const BACKFILL_DAYS = 90;
/** The longest propensity outcome window; training reads two of them (schema/propensity.ts). */
export const TRAIN_DAYS = 90;

/**
 * The configured horizon in days: `EVENT_RETENTION_DAYS` as a positive whole number, else 400.
 * @example configuredHorizonDays('30') // 30
 * @example configuredHorizonDays(undefined) // 400
 */
export function configuredHorizonDays(value: string | undefined): number {
  const n = Number(value);
  return value !== undefined && value.trim() !== '' && Number.isInteger(n) && n > 0 ? n : DEFAULT_RETENTION_DAYS;
}

/**
 * The horizon retention uses: the configured one, but never shorter than what a replay of raw
 * events still reads — the backfill's days plus the profile's retention window (its first day
 * replays that many days before it), and training's two outcome windows — plus one day.
 * @example effectiveHorizonDays(400, 90) // 400
 * @example effectiveHorizonDays(100, 365) // 456
 */
export function effectiveHorizonDays(configured: number, profileRetentionDays: number): number {
  return Math.max(configured, BACKFILL_DAYS + profileRetentionDays + 1, 2 * TRAIN_DAYS + 1);
}

/**
 * Events dated before this instant leave D1: UTC midnight `days` days before `now` (so one
 * archived day is one UTC date).
 * @example retentionCut(Date.UTC(2026, 11, 2, 15), 400) // Date.UTC(2025, 9, 28)
 */
export function retentionCut(now: Millis, days: number): Millis {
  return Math.floor((now - days * DAY_MS) / DAY_MS) * DAY_MS;
}

/**
 * The oldest `at` a server event may carry: older ones would be deleted by the next run, and a
 * replay of an id whose row is gone could no longer be recognised as a duplicate.
 * @example oldestAcceptedAt(now, 400) // now − 400 days
 */
export function oldestAcceptedAt(now: Millis, configuredDays: number): Millis {
  return now - configuredDays * DAY_MS;
}

/**
 * Where the next chunk ends (exclusive): the end of the oldest event's UTC day, or the cut if
 * earlier, so a chunk never spans two archive days.
 * @example chunkLimit(Date.UTC(2025, 0, 1, 13), Date.UTC(2025, 5, 1)) // Date.UTC(2025, 0, 2)
 */
export function chunkLimit(oldestAt: Millis, cut: Millis): Millis {
  return Math.min(cut, (Math.floor(oldestAt / DAY_MS) + 1) * DAY_MS);
}

/**
 * Trims rows read as `ORDER BY at LIMIT size + 1` to a chunk that never splits one instant: when
 * more than `size` rows came back, the rows sharing the last row's `at` are left for the next
 * chunk (a replay orders equal times by storage order, a fold must see them together). `null`
 * when every row shares one instant: the caller reads that instant whole.
 * @example trimChunk([{at: 1}, {at: 2}, {at: 2}], 2) // [{at: 1}]
 */
export function trimChunk<T extends { at: number }>(rows: T[], size: number): T[] | null {
  if (rows.length <= size) return rows;
  const last = rows[rows.length - 1]!.at;
  const kept = rows.filter((r) => r.at < last);
  return kept.length ? kept : null;
}

/** A stored event row as read by the retention job (D1 column names). */
export interface EventRow {
  rid: number;
  subject: string;
  id: string;
  visitor_id: string | null;
  member_id: string | null;
  type: string;
  at: number;
  url: string | null;
  props: string | null;
  points: number;
  breakdown: string | null;
  score_after: number;
  received_at: number;
}

const parsed = (text: string | null, fallback: unknown) => {
  try {
    return text === null ? fallback : JSON.parse(text);
  } catch {
    return fallback;
  }
};

/**
 * One archive line: the row with its JSON columns as JSON, under the table's column names, so a
 * restore is `INSERT OR IGNORE INTO events` of each line (duplicates across objects are no-ops).
 * @example archiveLine(row) // '{"subject":"v:…","id":"e1",…,"props":{"category":"pricing"},…}'
 */
export function archiveLine(row: EventRow): string {
  return JSON.stringify({
    subject: row.subject,
    id: row.id,
    visitor_id: row.visitor_id,
    member_id: row.member_id,
    type: row.type,
    at: row.at,
    url: row.url,
    props: parsed(row.props, {}),
    points: row.points,
    breakdown: parsed(row.breakdown, []),
    score_after: row.score_after,
    received_at: row.received_at,
  });
}

/**
 * The UTC date of an instant, as archive prefixes name days.
 * @example utcDate(Date.UTC(2025, 9, 28, 23)) // "2025-10-28"
 */
export function utcDate(at: Millis): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * The object a chunk is archived to: its day, then its first row (time and storage id), so a
 * chunk retried after a failure lands on the same key.
 * @example archiveKey({at: Date.UTC(2025, 9, 28, 9), rid: 42}) // "events/2025-10-28/1761642000000-42.ndjson"
 */
export function archiveKey(first: { at: Millis; rid: number }): string {
  return `${archivePrefix(first.at)}${first.at}-${first.rid}.ndjson`;
}

/** The prefix of one day's archive objects. */
export function archivePrefix(at: Millis): string {
  return `events/${utcDate(at)}/`;
}

/**
 * The subjects an archived line belongs to for erasure: its member and its browser, as the
 * erasure deletes `events` rows by `member_id` or `visitor_id`.
 * @example lineSubjects({member_id: 'm-1', visitor_id: 'v-1'}) // ["m:m-1", "v:v-1"]
 */
export function lineSubjects(row: { member_id: string | null; visitor_id: string | null }): string[] {
  const out: string[] = [];
  if (row.member_id) out.push(`m:${row.member_id}`);
  if (row.visitor_id) out.push(`v:${row.visitor_id}`);
  return out;
}

/** Bits of a tombstone key kept in an archive index entry (the rest of the 62 bits is the day). */
const OWNER_HEX = 12;

/**
 * The owner number of a subject's tombstone key (64 hex digits): its first 46 bits, exact in a
 * JS number and, shifted left 16, in a SQLite integer.
 * @example ownerOf('ffffffffffff…') // 70368744177663
 */
export function ownerOf(tombstoneKey: string): number {
  return Math.floor(Number.parseInt(tombstoneKey.slice(0, OWNER_HEX), 16) / 4);
}

/**
 * The UTC day number of an instant (days since 1970-01-01), as the archive index stores days.
 * @example utcDay(Date.UTC(2025, 9, 28)) // 20389
 */
export function utcDay(at: Millis): number {
  return Math.floor(at / DAY_MS);
}

/**
 * Removes the lines of erased subjects from an archive object's text. Returns null when nothing
 * changes.
 * @example await withoutErased(text, new Set([key]), tombstoneKey) // {text: '…', removed: 3}
 */
export async function withoutErased(
  text: string,
  erased: ReadonlySet<string>,
  keyOf: (subject: string) => Promise<string>,
): Promise<{ text: string; removed: number } | null> {
  const kept: string[] = [];
  let removed = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const row = parsed(line, null) as { member_id?: string | null; visitor_id?: string | null } | null;
    const subjects = row ? lineSubjects({ member_id: row.member_id ?? null, visitor_id: row.visitor_id ?? null }) : [];
    const keys = await Promise.all(subjects.map(keyOf));
    if (keys.some((k) => erased.has(k))) removed++;
    else kept.push(line);
  }
  return removed ? { text: kept.length ? `${kept.join('\n')}\n` : '', removed } : null;
}

/**
 * The events a replay of a member's history reads, from stored rows: the same shape and order
 * (time, then storage order) as propensity training builds them.
 */
export function replayEvents(rows: Pick<EventRow, 'type' | 'at' | 'props'>[]): NormalizedEvent[] {
  return rows.map((r, n) => ({ id: `t${n}`, type: r.type as NormalizedEvent['type'], at: r.at, props: parsed(r.props, {}) }));
}

/**
 * A member's fold after one more chunk: its deleted events applied, in order, on top of what was
 * folded before. Pruned as of `upTo` (the chunk's latest time): every event left to fold or to
 * replay is at or after it, so the day buckets and cap ledgers it still needs are kept, and a
 * replay that starts from the fold gives what a replay of every event would have.
 * @example foldEvents(config, null, events, lastAt).profile.totals.page_view // 3
 */
export function foldEvents(config: CompiledConfig, fold: Profile | null, events: NormalizedEvent[], upTo: Millis): Profile {
  return applyEvents(fold ?? emptyProfile(), events, config.source.scoring, {
    now: upTo,
    retentionDays: config.retentionDays,
    countedKeys: config.countedKeys,
    calendar: config.calendar,
  }).profile;
}
