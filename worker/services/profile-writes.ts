/**
 * @module
 * Many profile writes as a few statements: the writes queue's consumer applies up to a hundred
 * visitors' pages at once (services/writes/shared-batch.ts), and one statement per table for all
 * of them replaces a few per visitor. D1 compiles and runs each statement of a batch on its own,
 * so the statement count is most of a batch's cost, and locally that SQL work runs on the edge's
 * own thread (docs/storage.md).
 *
 * The same guards as one write's statements (profile-store.ts `profileWriteStatements`), row by
 * row: a profile row is updated only if it still has the version its write read (inserted only
 * if it still does not exist), never while its subject has a recent tombstone, and the events,
 * exposures, conversions and alerts of a write only go in if its profile row now carries the
 * write's new version. `RETURNING` says which profile rows applied; a write whose row did not is
 * a lost race, as alone, and its caller reads again and writes on its own.
 */
import { announceFired, outboxInsert } from './alerts/outbox';
import { type ProfileTarget, type ProfileWrite, writeSubjects } from './profile-store';
import { erasedSince, tombstoneKey } from './tombstones';

/** The statements of several writes, and which of the writes applied once they ran. */
export interface PreparedWrites {
  statements: D1PreparedStatement[];
  /** Given the statements' results, per write (in order): whether it applied. */
  settle(results: D1Result[]): boolean[];
}

/**
 * One write, serialized once (`prepareWrite`): its profile row, its event rows as JSON (without
 * the brackets, so several writes' join into one array), and the bytes both bind.
 */
export interface PreparedRow {
  w: ProfileWrite;
  row: ProfileRow;
  events: string;
  bytes: number;
}

/** One write's profile row, as the statements read it from JSON. */
interface ProfileRow {
  id: string;
  p: string;
  sc: number;
  la: number | null;
  nv: string;
  ov: string | null;
  now: number;
  t1: string;
  t2: string;
  es: number;
}

const PROFILE_COLUMNS = ['id', 'p', 'sc', 'la', 'nv', 'ov', 'now', 't1', 't2', 'es'] as const;
/** The rows of ?1 as a table `j` with one column per field. */
const ROWS = `(SELECT ${PROFILE_COLUMNS.map((c) => `json_extract(value, '$.${c}') AS ${c}`).join(', ')} FROM json_each(?1)) AS j`;
const NOT_ERASED = 'NOT EXISTS (SELECT 1 FROM tombstones WHERE subject IN (j.t1, j.t2) AND at >= j.es)';
/** A row of ?1 (`value`) goes in only if its write's profile row carries the write's new version. */
const guard = (table: ProfileTarget) =>
  `EXISTS (SELECT 1 FROM ${table} WHERE id = json_extract(value, '$.tid') AND version = json_extract(value, '$.nv'))`;

/**
 * Every write must be of a different profile row: two writes of one row would both see it
 * applied. The caller keeps one write per row and takes any other as a lost race.
 * @example const w = profileWritesStatements(d1, await Promise.all(writes.map(prepareWrite))); const applied = w.settle(await d1.batch(w.statements));
 */
export function profileWritesStatements(d1: D1Database, writes: PreparedRow[]): PreparedWrites {
  const statements: D1PreparedStatement[] = [];
  /** Which statements return applied profile rows, and of which table. */
  const returning: { at: number; table: ProfileTarget }[] = [];
  for (const table of ['visitors', 'members'] as const) {
    const mine = writes.filter(({ w }) => w.state.target === table).map((p) => ({ ...p, nv: p.row.nv }));
    if (!mine.length) continue;
    const updates = mine.filter(({ w }) => w.state.exists).map(({ row }) => row);
    const inserts = mine.filter(({ w }) => !w.state.exists).map(({ row }) => row);
    // A visitor row written as a visitor is anonymous: this also frees an id retired by identify
    // (`retired_at` stays, as in profileWriteStatements).
    const unlink = table === 'visitors' ? ', member_id = NULL' : '';
    if (updates.length) {
      returning.push({ at: statements.length, table });
      statements.push(
        d1
          .prepare(
            `UPDATE ${table} SET profile = j.p, score = j.sc, last_active_at = j.la, version = j.nv, updated_at = j.now${unlink}
             FROM ${ROWS} WHERE ${table}.id = j.id AND ${table}.version IS j.ov AND ${NOT_ERASED} RETURNING id`,
          )
          .bind(JSON.stringify(updates)),
      );
    }
    if (inserts.length) {
      returning.push({ at: statements.length, table });
      statements.push(
        d1
          .prepare(
            `INSERT INTO ${table} (id, profile, score, last_active_at, version, updated_at)
             SELECT j.id, j.p, j.sc, j.la, j.nv, j.now FROM ${ROWS} WHERE ${NOT_ERASED}
             ON CONFLICT(id) DO NOTHING RETURNING id`,
          )
          .bind(JSON.stringify(inserts)),
      );
    }
    const events = mine.map((p) => p.events).filter(Boolean);
    if (events.length)
      statements.push(
        d1
          .prepare(
            `INSERT OR IGNORE INTO events (subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at)
             SELECT json_extract(value, '$.s'), json_extract(value, '$.id'), json_extract(value, '$.v'), json_extract(value, '$.m'),
               json_extract(value, '$.type'), json_extract(value, '$.at'), json_extract(value, '$.url'), json_extract(value, '$.props'),
               json_extract(value, '$.points'), json_extract(value, '$.breakdown'), json_extract(value, '$.scoreAfter'), json_extract(value, '$.r')
             FROM json_each(?1) WHERE ${guard(table)}`,
          )
          .bind(`[${events.join(',')}]`),
      );
    const exposures = mine.flatMap(({ w, nv }) =>
      w.visitorId
        ? w.exposures.map((x) => ({
            ...x,
            v: w.visitorId,
            m: w.state.memberId,
            at: w.now,
            day: w.day ?? Math.floor(w.now / 86_400_000),
            tid: w.state.targetId,
            nv,
          }))
        : [],
    );
    if (exposures.length)
      statements.push(
        d1
          .prepare(
            `INSERT OR IGNORE INTO exposures (experiment_id, visitor_id, member_id, arm, segment, at, day)
             SELECT json_extract(value, '$.experiment'), json_extract(value, '$.v'), json_extract(value, '$.m'), json_extract(value, '$.arm'),
               json_extract(value, '$.segment'), json_extract(value, '$.at'), json_extract(value, '$.day')
             FROM json_each(?1) WHERE ${guard(table)}`,
          )
          .bind(JSON.stringify(exposures)),
      );
    const conversions = mine.flatMap(({ w, nv }) => w.conversions.map((c) => ({ ...c, m: w.state.memberId, tid: w.state.targetId, nv })));
    if (conversions.length)
      statements.push(
        d1
          .prepare(
            `INSERT OR IGNORE INTO conversions (experiment_id, visitor_id, member_id, arm, event_id, at, day, value)
             SELECT json_extract(value, '$.experiment'), json_extract(value, '$.vid'), json_extract(value, '$.m'), json_extract(value, '$.arm'),
               json_extract(value, '$.eventId'), json_extract(value, '$.at'), json_extract(value, '$.day'), json_extract(value, '$.value')
             FROM json_each(?1) WHERE ${guard(table)}`,
          )
          .bind(JSON.stringify(conversions)),
      );
    // Alerts fire for members only, rarely: each write's outbox rows under its own guard.
    for (const { w, nv } of mine)
      if (w.alerts?.length && w.state.memberId)
        statements.push(
          outboxInsert(d1, w.alerts, w.state.memberId, w.now, `EXISTS (SELECT 1 FROM ${table} WHERE id = ?1 AND version = ?2)`, [
            w.state.targetId,
            nv,
          ]),
        );
  }
  return {
    statements,
    settle(results) {
      const applied = { visitors: new Set<string>(), members: new Set<string>() };
      for (const { at, table } of returning) for (const row of results[at]?.results ?? []) applied[table].add((row as { id: string }).id);
      return writes.map(({ w, row }) => {
        const ok = applied[w.state.target].has(w.state.targetId);
        if (ok) w.state.version = row.nv;
        if (ok && w.alerts?.length) announceFired(d1, w.alerts);
        return ok;
      });
    },
  };
}

/**
 * A write as the shared statements bind it, with a new version of its own.
 * @example const prepared = await prepareWrite(w); prepared.bytes // JSON it binds
 */
export async function prepareWrite(w: ProfileWrite): Promise<PreparedRow> {
  const { state, profile, now } = w;
  const { subject, memberOf } = writeSubjects(w);
  const nv = crypto.randomUUID();
  const row: ProfileRow = {
    id: state.targetId,
    p: JSON.stringify(profile),
    sc: profile.score,
    la: profile.lastActiveAt,
    nv,
    ov: state.exists ? state.version : null,
    now,
    t1: await tombstoneKey(subject),
    t2: await tombstoneKey(memberOf),
    es: erasedSince(now),
  };
  const events = w.events.length
    ? JSON.stringify(w.events.map((e) => ({ ...e, s: subject, v: w.visitorId, m: state.memberId, r: now, tid: state.targetId, nv }))).slice(
        1,
        -1,
      )
    : '';
  return { w, row, events, bytes: row.p.length + events.length };
}
