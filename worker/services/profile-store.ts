/**
 * @module
 * The hot path's storage: ONE read (profile + config stamp + already-seen event ids) and ONE
 * batched write (profile, events, exposures, conversions) per request (docs/architecture.md#the-storage-budget).
 *
 * Written as D1 statements rather than drizzle queries because each is a single statement that
 * drizzle cannot express: bulk inserts from `json_each` (any batch size, 3 bound parameters),
 * and a version-guarded upsert whose guard also gates every other insert of the batch.
 *
 * Concurrency: every profile write stores a fresh random `version`. The profile write only applies
 * if the row still has the version we read (or, for a new row, if it still does not exist), and
 * the event/exposure/conversion inserts only apply if the row now carries *our* new version. A
 * concurrent writer therefore makes the whole batch a no-op, and the caller re-reads and retries —
 * no lost update, no double-counted event. A row deleted by an erasure is never re-created by a
 * request that read it before: the write is an UPDATE of the row we read, and new rows are
 * refused while the subject has a recent tombstone (services/tombstones.ts).
 */
import type { Traits } from '../schema/config';
import { emptyProfile } from '../core/profile';
import type { Profile } from '../core/types';
import type { Conversion } from '../core/conversions';
import { parseJsonColumn } from '../lib/json-column';
import { announceFired, outboxInsert, type OutboxRow } from './alerts/outbox';
import type { ServiceContext } from './context';
import { erasedSince, memberSubject, notErased, tombstoneKey, visitorSubject } from './tombstones';

/** How long a rotated visitor id still reaches its member (requests that left before identify). */
export const ROTATION_GRACE_MS = 60_000;

export type ProfileTarget = 'visitors' | 'members';

export interface ProfileState {
  target: ProfileTarget;
  /** Row id in `target`: the visitor id, or the member id once identified. */
  targetId: string;
  /** The `target` row existed when it was read. */
  exists: boolean;
  /** A recent erasure covers this visitor or member: nothing may be written for it. */
  erased: boolean;
  visitorExists: boolean;
  memberId: string | null;
  traits: Traits;
  profile: Profile;
  version: string | null;
  configVersion: string;
  seenEventIds: Set<string>;
}

const STAMP = `(SELECT json_extract(value, '$') FROM settings WHERE key = 'config_version') AS config_version`;
/** Event ids are unique per subject (?3: `v:<visitor>` or `m:<member>`). */
const SEEN = `(SELECT json_group_array(id) FROM events WHERE subject = ?3 AND id IN (SELECT value FROM json_each(?2))) AS seen`;
/** ?6: the tombstone key of the subject. */
const ERASED = `(SELECT COUNT(*) FROM tombstones WHERE subject = ?6 AND at >= ?4) AS erased`;
/**
 * The visitor read, written once for the two shapes it runs in: one visitor (`READ_VISITOR`, the
 * decide's and collect's read, parameters ?1…?6) and many at once (`READ_VISITORS`, the writes
 * queue's consumer: one row per entry of a JSON array, in its order). `at` names each input.
 *
 * Seen ids: for a browser also the events this visitor id stored that identify has since moved to
 * the rotated id's subject: a write queued before the sign-in and applied after it
 * (services/writes), or a page sent again later under the old id, must still find them, or it
 * would store them a second time.
 *
 * Asked id by id, so a long history is never read (tests/worker/read-rows.test.ts): each id is one
 * lookup in the (subject, id) index, and only an id identify ever retired (`v.retired_at` of the
 * row the read joins; never cleared) looks by visitor id: any other id's browser events are all
 * under its own subject. AND and OR stop early in SQLite, so that second look costs nothing for
 * everyone else.
 *
 * Erased: the tombstone key of the subject (an erased member's visitor ids are all tombstoned too).
 * A visitor id that identify rotated away (retired_at) still leads to its member while requests
 * sent before the rotation land (graceFrom = now - grace); after that it is an anonymous browser.
 */
function readVisitorSql(at: {
  source: string;
  visitorId: string;
  eventIds: string;
  subject: string;
  erasedSince: string;
  graceFrom: string;
  tombstone: string;
  order?: string;
}): string {
  return `SELECT ${STAMP},
  (SELECT json_group_array(DISTINCT j.value) FROM json_each(${at.eventIds}) j
    WHERE EXISTS (SELECT 1 FROM events WHERE subject = ${at.subject} AND id = j.value)
       OR (v.retired_at IS NOT NULL AND EXISTS (SELECT 1 FROM events WHERE visitor_id = ${at.visitorId} AND id = j.value))) AS seen,
  (SELECT COUNT(*) FROM tombstones WHERE subject = ${at.tombstone} AND at >= ${at.erasedSince}) AS erased,
  v.id AS visitor_id, m.id AS member_id, v.profile AS visitor_profile, v.version AS visitor_version,
  m.id AS member_row, m.traits AS traits, m.profile AS member_profile, m.version AS member_version
FROM ${at.source} LEFT JOIN visitors v ON v.id = ${at.visitorId}
  LEFT JOIN members m ON m.id = v.member_id AND (v.retired_at IS NULL OR v.retired_at >= ${at.graceFrom})${at.order ?? ''}`;
}

const READ_VISITOR = readVisitorSql({
  source: '(SELECT ?1 AS vid) q',
  visitorId: 'q.vid',
  eventIds: '?2',
  subject: '?3',
  erasedSince: '?4',
  graceFrom: '?5',
  tombstone: '?6',
});

/** A field of one entry of `visitorStatesStatement`'s JSON array. */
const field = (name: string) => `json_extract(q.value, '$.${name}')`;
const READ_VISITORS = readVisitorSql({
  source: 'json_each(?1) q',
  visitorId: field('v'),
  eventIds: field('ids'),
  subject: field('s'),
  erasedSince: field('e'),
  graceFrom: field('g'),
  tombstone: field('t'),
  order: ' ORDER BY q.key',
});

const READ_MEMBER = `SELECT ${STAMP}, ${SEEN}, ${ERASED},
  m.id AS member_row, m.traits AS traits, m.profile AS member_profile, m.version AS member_version
FROM (SELECT ?1 AS mid) q LEFT JOIN members m ON m.id = q.mid`;

interface Row {
  config_version: string | null;
  seen: string | null;
  erased: number;
  visitor_id?: string | null;
  member_id?: string | null;
  visitor_profile?: string | null;
  visitor_version?: string | null;
  member_row: string | null;
  traits: string | null;
  member_profile: string | null;
  member_version: string | null;
}

function toState(row: Row, target: ProfileTarget, targetId: string): ProfileState {
  const isMember = target === 'members';
  return {
    target,
    targetId,
    exists: Boolean(isMember ? row.member_row : row.visitor_id),
    erased: row.erased > 0,
    visitorExists: Boolean(row.visitor_id),
    memberId: isMember ? targetId : (row.member_id ?? null),
    traits: parseJsonColumn<Traits>(row.traits, {}),
    profile: { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(isMember ? row.member_profile : row.visitor_profile, {}) },
    version: (isMember ? row.member_version : row.visitor_version) ?? null,
    configVersion: row.config_version ?? '0',
    seenEventIds: new Set(parseJsonColumn<string[]>(row.seen, [])),
  };
}

/**
 * One statement: the visitor's profile (or its member's), the config stamp, and which of `eventIds` exist.
 * @example const state = await readVisitorState(ctx, visitorId, ['e1']); state.seenEventIds.has('e1')
 */
export async function readVisitorState(
  { d1, now }: Pick<ServiceContext, 'd1' | 'now'>,
  visitorId: string,
  eventIds: string[],
): Promise<ProfileState> {
  return visitorStateOf((await (await visitorStateStatement(d1, visitorId, eventIds, now)).first<Row>())!, visitorId);
}

/**
 * The statement `readVisitorState` runs, for a caller that reads several visitors in one D1
 * batch (the writes queue's consumer); `visitorStateOf` turns its row into the state.
 * @example const states = (await d1.batch(stmts)).map((r, i) => visitorStateOf(r.results[0], ids[i]));
 */
export async function visitorStateStatement(
  d1: D1Database,
  visitorId: string,
  eventIds: string[],
  now: number,
): Promise<D1PreparedStatement> {
  return d1
    .prepare(READ_VISITOR)
    .bind(
      visitorId,
      JSON.stringify(eventIds),
      visitorSubject(visitorId),
      erasedSince(now),
      now - ROTATION_GRACE_MS,
      await tombstoneKey(visitorSubject(visitorId)),
    );
}

/** One visitor of `visitorStatesStatement`: what `visitorStateStatement` binds, as JSON. */
export interface VisitorRead {
  visitorId: string;
  eventIds: string[];
  /** The time its request ran at (erasures and the rotation grace are counted from it). */
  now: number;
}

/**
 * Several visitors' reads as one statement (the writes queue's consumer): one row per read, in
 * order, each what `visitorStateStatement` returns for it. One statement instead of one per
 * visitor: D1 compiles and runs each statement of a batch on its own.
 * @example const { results } = await (await visitorStatesStatement(d1, reads)).all(); results.map((r, i) => visitorStateOf(r, reads[i].visitorId))
 */
export async function visitorStatesStatement(d1: D1Database, reads: VisitorRead[]): Promise<D1PreparedStatement> {
  const entries = await Promise.all(
    reads.map(async (r) => ({
      v: r.visitorId,
      ids: r.eventIds,
      s: visitorSubject(r.visitorId),
      e: erasedSince(r.now),
      g: r.now - ROTATION_GRACE_MS,
      t: await tombstoneKey(visitorSubject(r.visitorId)),
    })),
  );
  return d1.prepare(READ_VISITORS).bind(JSON.stringify(entries));
}

/** The state from a row of `visitorStateStatement` (or of `visitorStatesStatement`). */
export function visitorStateOf(row: unknown, visitorId: string): ProfileState {
  const r = row as Row;
  if (r.member_id && r.member_row) return toState(r, 'members', r.member_id);
  return toState(r, 'visitors', visitorId);
}

/**
 * One statement: a member's profile (server-side events), the config stamp, and seen event ids.
 * @example const state = await readMemberState(ctx, 'm-42', []);
 */
export async function readMemberState(
  { d1, now }: Pick<ServiceContext, 'd1' | 'now'>,
  memberId: string,
  eventIds: string[],
): Promise<ProfileState> {
  const row = (await d1
    .prepare(READ_MEMBER)
    .bind(memberId, JSON.stringify(eventIds), memberSubject(memberId), erasedSince(now), null, await tombstoneKey(memberSubject(memberId)))
    .first<Row>())!;
  return toState(row, 'members', memberId);
}

export interface EventRow {
  id: string;
  type: string;
  at: number;
  url: string | null;
  props: Record<string, unknown>;
  points: number;
  breakdown: { ruleId: string; points: number }[];
  scoreAfter: number;
}

export interface ExposureRow {
  experiment: string;
  arm: string;
  segment: string;
}

/** A conversion as stored (worker/core/conversions.ts decides them). */
export type ConversionRow = Conversion;

export interface ProfileWrite {
  state: ProfileState;
  profile: Profile;
  /** Visitor the events and exposures came from (null for server-side events). */
  visitorId: string | null;
  events: EventRow[];
  exposures: ExposureRow[];
  conversions: ConversionRow[];
  /** Alerts this write fires (members only): outbox rows inserted under the same guard. */
  alerts?: OutboxRow[];
  now: number;
  /** The site's day of `now` (its time zone), for exposures by day; default the UTC day. */
  day?: number;
}

/**
 * One D1 batch. Returns false when a concurrent writer got there first (nothing was written).
 */
export async function writeProfile({ d1 }: Pick<ServiceContext, 'd1'>, w: ProfileWrite): Promise<boolean> {
  const write = await profileWriteStatements(d1, w);
  return write.settle(await d1.batch(write.statements));
}

/** One profile write as statements, for a caller that batches several writes in one D1 batch. */
export interface PreparedWrite {
  statements: D1PreparedStatement[];
  /** Bytes of JSON the statements bind (the caller keeps a combined batch within D1's limits). */
  bytes: number;
  /** Given this write's results, whether it applied (false: a concurrent writer won, nothing was written). */
  settle(results: D1Result[]): boolean;
}

/**
 * Whose events a write stores (`subject`) and whose erasure refuses it (`subject` and `memberOf`).
 * Browser events belong to the visitor, server events to the member: ids are unique per subject.
 */
export function writeSubjects(w: Pick<ProfileWrite, 'state' | 'visitorId'>): { subject: string; memberOf: string } {
  const { state } = w;
  const subject = w.visitorId ? visitorSubject(w.visitorId) : memberSubject(state.memberId ?? state.targetId);
  return { subject, memberOf: state.memberId ? memberSubject(state.memberId) : subject };
}

/**
 * The statements of `writeProfile`. Every statement is guarded by this profile's own version, so
 * writes of different profiles can share one D1 batch: a lost race leaves only its own
 * statements without effect.
 * @example const write = await profileWriteStatements(d1, w); const applied = write.settle(await d1.batch(write.statements));
 */
export async function profileWriteStatements(d1: D1Database, w: ProfileWrite): Promise<PreparedWrite> {
  const { state, profile, now } = w;
  const table = state.target;
  const newVersion = crypto.randomUUID();
  const guard = `EXISTS (SELECT 1 FROM ${table} WHERE id = ?1 AND version = ?2)`;
  const { subject, memberOf } = writeSubjects(w);
  // A visitor row written as a visitor is anonymous: this also frees an id retired by identify.
  // `retired_at` stays: it marks an id whose history identify moved away, which the read still
  // looks for by visitor id (readVisitorSql), however the id is used later.
  const unlink = table === 'visitors' ? ', member_id = NULL' : '';
  const profileWrite = state.exists
    ? `UPDATE ${table} SET profile = ?2, score = ?3, last_active_at = ?4, version = ?5, updated_at = ?6${unlink}
       WHERE id = ?1 AND version IS ?7 AND ${notErased(8, 9, 10)}`
    : `INSERT INTO ${table} (id, profile, score, last_active_at, version, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE ${notErased(8, 9, 10)}
       ON CONFLICT(id) DO NOTHING`;
  const profileJson = JSON.stringify(profile);
  const eventsJson = w.events.length ? JSON.stringify(w.events) : '';
  const statements: D1PreparedStatement[] = [
    d1
      .prepare(profileWrite)
      .bind(
        state.targetId,
        profileJson,
        profile.score,
        profile.lastActiveAt,
        newVersion,
        now,
        state.exists ? state.version : null,
        await tombstoneKey(subject),
        await tombstoneKey(memberOf),
        erasedSince(now),
      ),
  ];
  const memberId = state.memberId;
  if (w.events.length) {
    statements.push(
      d1
        .prepare(
          `INSERT OR IGNORE INTO events (subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at)
           SELECT ?7, json_extract(value, '$.id'), ?3, ?4, json_extract(value, '$.type'), json_extract(value, '$.at'),
             json_extract(value, '$.url'), json_extract(value, '$.props'), json_extract(value, '$.points'),
             json_extract(value, '$.breakdown'), json_extract(value, '$.scoreAfter'), ?5
           FROM json_each(?6) WHERE ${guard}`,
        )
        .bind(state.targetId, newVersion, w.visitorId, memberId, now, eventsJson, subject),
    );
  }
  if (w.exposures.length && w.visitorId) {
    statements.push(
      d1
        .prepare(
          `INSERT OR IGNORE INTO exposures (experiment_id, visitor_id, member_id, arm, segment, at, day)
           SELECT json_extract(value, '$.experiment'), ?3, ?4, json_extract(value, '$.arm'), json_extract(value, '$.segment'), ?5, ?6
           FROM json_each(?7) WHERE ${guard}`,
        )
        .bind(state.targetId, newVersion, w.visitorId, memberId, now, w.day ?? Math.floor(now / 86_400_000), JSON.stringify(w.exposures)),
    );
  }
  if (w.conversions.length) {
    statements.push(
      d1
        .prepare(
          `INSERT OR IGNORE INTO conversions (experiment_id, visitor_id, member_id, arm, event_id, at, day, value)
           SELECT json_extract(value, '$.experiment'), json_extract(value, '$.vid'), ?3, json_extract(value, '$.arm'),
             json_extract(value, '$.eventId'), json_extract(value, '$.at'), json_extract(value, '$.day'), json_extract(value, '$.value')
           FROM json_each(?4) WHERE ${guard}`,
        )
        .bind(state.targetId, newVersion, memberId, JSON.stringify(w.conversions)),
    );
  }
  if (w.alerts?.length && memberId) statements.push(outboxInsert(d1, w.alerts, memberId, now, guard, [state.targetId, newVersion]));
  return {
    statements,
    bytes: profileJson.length + eventsJson.length,
    settle(results) {
      const applied = (results[0]?.meta.changes ?? 0) > 0;
      if (applied) state.version = newVersion;
      if (applied && w.alerts?.length) announceFired(d1, w.alerts);
      return applied;
    },
  };
}
