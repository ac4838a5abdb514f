/**
 * @module
 * Segment history: the daily count (run by the cron just after the site's midnight, and on
 * demand) and the backfill that rebuilds past days from the events table.
 *
 * A count evaluates every profile (members, and anonymous visitors active in the last 90 days)
 * with the compiled segments — the first match wins, as on a page view — in chunks, compares
 * each with the segment it had at the last count (`segment_members`), and writes the day's
 * counts and the membership changes in ONE batch. The day's row is a plain INSERT, so a second
 * count of the same day (two isolates, a retry) aborts whole instead of counting twice; a claim
 * row with a ten-minute lease keeps two runs from doing the work at once. Nothing of this is on
 * the request path: a page view costs what it did.
 */
import type { CompiledConfig } from '../core/compile';
import { emptyProfile } from '../core/profile';
import { replayDays, subjectDay, tally, type SegmentDayCount, type SubjectDay } from '../core/segment-history';
import { DAY_MS, type DayNumber, type NormalizedEvent, type Profile } from '../core/types';
import { parseJsonColumn } from '../lib/json-column';
import type { EventType, Traits } from '../schema/config';
import { currentConfig } from './config-store';
import type { ServiceContext } from './context';

/** Profiles read per statement. */
const CHUNK = 500;
/** Membership rows per bulk statement (one JSON parameter). */
const WRITE_CHUNK = 5_000;
/** A run that has not finished after this long is presumed dead; the next cron takes over. */
const LEASE_MS = 10 * 60_000;
/** Anonymous visitors count while active within this many days (members always count). */
export const VISITOR_DAYS = 90;
/** The longest backfill: the profile's retention window. */
export const MAX_BACKFILL_DAYS = 90;

interface ProfileRow {
  id: string;
  traits?: string | null;
  profile: string | null;
}

const profileOf = (text: unknown): Profile => ({ ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(text, {}) });

/** Reads members, then recent anonymous visitors, in keyset chunks; calls `each` per profile. */
async function forEachProfile(
  d1: D1Database,
  now: number,
  each: (subject: string, traits: Traits, row: ProfileRow) => void,
): Promise<void> {
  const sources = [
    { prefix: 'm:', sql: 'SELECT id, traits, profile FROM members WHERE id > ?1 ORDER BY id LIMIT ?2', extra: [] as unknown[] },
    {
      prefix: 'v:',
      sql: 'SELECT id, profile FROM visitors WHERE member_id IS NULL AND last_active_at >= ?3 AND id > ?1 ORDER BY id LIMIT ?2',
      extra: [now - VISITOR_DAYS * DAY_MS],
    },
  ];
  for (const source of sources) {
    let after = '';
    for (;;) {
      const { results } = await d1
        .prepare(source.sql)
        .bind(after, CHUNK, ...source.extra)
        .all<ProfileRow>();
      for (const row of results) each(`${source.prefix}${row.id}`, parseJsonColumn<Traits>(row.traits, {}), row);
      if (results.length < CHUNK) break;
      after = results.at(-1)!.id;
    }
  }
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The statements that write day rows and membership changes (add them to one batch). */
function writeStatements(
  d1: D1Database,
  rows: (SegmentDayCount & { day: DayNumber })[],
  upserts: { subject: string; segment: string; since: DayNumber }[],
  deletes: string[],
): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const part of chunks(rows, WRITE_CHUNK)) {
    out.push(
      d1
        .prepare(
          `INSERT INTO segment_days (segment, day, size, entered, exited, active, reach28, converters)
           SELECT json_extract(value, '$.segment'), json_extract(value, '$.day'), json_extract(value, '$.size'), json_extract(value, '$.entered'),
             json_extract(value, '$.exited'), json_extract(value, '$.active'), json_extract(value, '$.reach28'), json_extract(value, '$.converters')
           FROM json_each(?1)`,
        )
        .bind(JSON.stringify(part)),
    );
  }
  for (const part of chunks(upserts, WRITE_CHUNK)) {
    out.push(
      d1
        .prepare(
          `INSERT INTO segment_members (subject, segment, since)
           SELECT json_extract(value, '$.subject'), json_extract(value, '$.segment'), json_extract(value, '$.since') FROM json_each(?1) WHERE true
           ON CONFLICT(subject) DO UPDATE SET segment = excluded.segment, since = excluded.since`,
        )
        .bind(JSON.stringify(part)),
    );
  }
  for (const part of chunks(deletes, WRITE_CHUNK)) {
    out.push(d1.prepare('DELETE FROM segment_members WHERE subject IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(part)));
  }
  return out;
}

export interface CountOutcome {
  day: DayNumber;
  /** False when the day was already counted, or another run holds it. */
  counted: boolean;
  population: number;
}

/**
 * Counts the site's day that ended last (yesterday on the site's clock), once. Cheap when there
 * is nothing to do (one statement), so the every-minute cron can call it.
 * @example await countSegmentDay(backgroundContext(env)) // {day: 20789, counted: true, population: 1234}
 */
export async function countSegmentDay(
  { d1, db, now }: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  config?: CompiledConfig,
): Promise<CountOutcome> {
  const cfg = config ?? (await currentConfig({ d1, db }));
  const day = cfg.calendar.dayOf(now) - 1;
  const claim = await d1
    .prepare(
      `INSERT INTO segment_counts (day, status, started_at) VALUES (?1, 'running', ?2)
       ON CONFLICT(day) DO UPDATE SET started_at = excluded.started_at WHERE segment_counts.status = 'running' AND segment_counts.started_at < ?3`,
    )
    .bind(day, now, now - LEASE_MS)
    .run();
  if ((claim.meta.changes ?? 0) === 0) return { day, counted: false, population: 0 };

  const previous = new Map<string, { segment: string; since: number }>();
  const { results: members } = await d1
    .prepare('SELECT subject, segment, since FROM segment_members')
    .all<{ subject: string; segment: string; since: number }>();
  for (const m of members) previous.set(m.subject, { segment: m.segment, since: m.since });

  const keys = cfg.source.segments.map((s) => s.key);
  const counts = tally(keys);
  const upserts: { subject: string; segment: string; since: DayNumber }[] = [];
  const deletes: string[] = [];
  const seen = new Set<string>();
  let population = 0;
  await forEachProfile(d1, now, (subject, traits, row) => {
    population++;
    seen.add(subject);
    const before = previous.get(subject)?.segment ?? null;
    const s = subjectDay(cfg, traits, profileOf(row.profile), before, day, now);
    counts.add(s);
    if (s.current === before) return;
    if (s.current === null) deletes.push(subject);
    else upserts.push({ subject, segment: s.current, since: day });
  });
  // Profiles gone since the last count (erased, or anonymous and quiet for 90 days) leave.
  for (const [subject, { segment }] of previous) {
    if (seen.has(subject)) continue;
    counts.add({ previous: segment, current: null, active: false, reach28: false, converter: false });
    deletes.push(subject);
  }

  const rows = counts.result().map((c) => ({ ...c, day }));
  await d1.batch([
    ...writeStatements(d1, rows, upserts, deletes),
    d1
      .prepare(`UPDATE segment_counts SET status = 'done', finished_at = ?2, population = ?3 WHERE day = ?1`)
      .bind(day, Date.now(), population),
  ]);
  return { day, counted: true, population };
}

interface EventRow {
  owner: string;
  type: string;
  at: number;
  props: string | null;
}

/**
 * Rebuilds the last `days` days (before today) from the events table: each profile replayed
 * day by day through the same core as the hot path (core/segment-history.ts `replayDays`),
 * with today's traits and configuration. The first rebuilt day records no entries or exits (there
 * is nothing before it to compare with). Replaces those days' rows and the membership, in one
 * batch. For a demo or a first deployment: it reads every event of the period.
 * @example await backfillSegmentHistory(c.var.svc, 30) // {days: 30, population: 1234}
 */
export async function backfillSegmentHistory(
  { d1, db, now }: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  days: number,
): Promise<{ days: number; population: number }> {
  const cfg = await currentConfig({ d1, db });
  const today = cfg.calendar.dayOf(now);
  const list = Array.from({ length: days }, (_, i) => today - days + i);
  const from = cfg.calendar.startOfDay(list[0]!) - cfg.retentionDays * DAY_MS;
  const end = cfg.calendar.startOfDay(today);
  const keys = cfg.source.segments.map((s) => s.key);
  const tallies = list.map(() => tally(keys));
  const membership: { subject: string; segment: string; since: DayNumber }[] = [];
  let population = 0;

  const replayChunk = async (prefix: 'm:' | 'v:', rows: { id: string; traits: Traits }[]) => {
    if (!rows.length) return;
    const column = prefix === 'm:' ? 'member_id' : 'visitor_id';
    const anonymous = prefix === 'v:' ? 'AND member_id IS NULL' : '';
    const { results } = await d1
      .prepare(
        `SELECT ${column} AS owner, type, at, props FROM events WHERE ${column} IN (SELECT value FROM json_each(?1)) ${anonymous} AND at >= ?2 AND at < ?3`,
      )
      .bind(JSON.stringify(rows.map((r) => r.id)), from, end)
      .all<EventRow>();
    const byOwner = new Map<string, NormalizedEvent[]>();
    results.forEach((e, i) => {
      const list = byOwner.get(e.owner) ?? [];
      list.push({ id: `replay-${i}`, type: e.type as EventType, at: e.at, props: parseJsonColumn(e.props, {}) });
      byOwner.set(e.owner, list);
    });
    for (const row of rows) {
      const events = byOwner.get(row.id);
      if (!events?.length) continue;
      population++;
      const timeline = replayDays(cfg, row.traits, events, list);
      let previous: string | null = timeline[0]?.current ?? null;
      let since = list[0]!;
      timeline.forEach((s, i) => {
        if (s.current !== previous) since = list[i]!;
        tallies[i]!.add({ ...s, previous });
        previous = s.current;
      });
      if (previous !== null) membership.push({ subject: `${prefix}${row.id}`, segment: previous, since });
    }
  };

  let members: { id: string; traits: Traits }[] = [];
  let visitors: { id: string; traits: Traits }[] = [];
  await forEachProfile(d1, now, (subject, traits) => {
    const id = subject.slice(2);
    if (subject.startsWith('m:')) members.push({ id, traits });
    else visitors.push({ id, traits });
  });
  for (const part of chunks(members, CHUNK)) await replayChunk('m:', part);
  for (const part of chunks(visitors, CHUNK)) await replayChunk('v:', part);
  members = [];
  visitors = [];

  const rows = tallies.flatMap((t, i) => t.result().map((c) => ({ ...c, day: list[i]! })));
  const finished = Date.now();
  await d1.batch([
    d1.prepare('DELETE FROM segment_days WHERE day >= ?1 AND day < ?2').bind(list[0], today),
    d1.prepare('DELETE FROM segment_counts WHERE day >= ?1 AND day < ?2').bind(list[0], today),
    d1.prepare('DELETE FROM segment_members'),
    ...writeStatements(d1, rows, membership, []),
    d1
      .prepare(
        `INSERT INTO segment_counts (day, status, started_at, finished_at, population)
         SELECT value, 'done', ?2, ?2, ?3 FROM json_each(?1)`,
      )
      .bind(JSON.stringify(list), finished, population),
  ]);
  return { days, population };
}

/** One segment's stored days, oldest first. */
export interface HistoryRow extends SegmentDayCount {
  day: DayNumber;
}

/**
 * The stored history of days `[fromDay, toDay)`, per segment key.
 * @example (await readHistory(c.var.svc, today - 90, today)).get('hot_lead') // [{day, size, entered, …}, …]
 */
export async function readHistory(
  { d1 }: Pick<ServiceContext, 'd1'>,
  fromDay: DayNumber,
  toDay: DayNumber,
): Promise<Map<string, HistoryRow[]>> {
  const { results } = await d1
    .prepare(
      'SELECT segment, day, size, entered, exited, active, reach28, converters FROM segment_days WHERE day >= ?1 AND day < ?2 ORDER BY segment, day',
    )
    .bind(fromDay, toDay)
    .all<HistoryRow>();
  const out = new Map<string, HistoryRow[]>();
  for (const r of results) {
    const list = out.get(r.segment) ?? [];
    list.push(r);
    out.set(r.segment, list);
  }
  return out;
}

export type { SubjectDay };
