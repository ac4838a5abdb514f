/**
 * @module
 * The retention job, run by the every-minute cron: raw events dated before the horizon leave D1
 * in chunks, oldest first. For each chunk, in this order:
 *
 * 1. read it: up to `chunkRows` rows of one UTC day, never splitting one instant;
 * 2. archive it, when `ARCHIVE` is bound (services/retention/archive.ts) — if R2 refuses, the run
 *    stops and nothing is deleted;
 * 3. fold its member events into their members' folds (core/retention.ts `foldEvents`);
 * 4. one D1 batch: a guard that every row read is still there (an erasure in between rolls the
 *    batch back, so no fold of an erased member comes back), the folds, the delete.
 *
 * Resumable by construction: what is left is what the next chunk reads, and a chunk is folded
 * and deleted in one batch, so a run stopped anywhere (time budget, failure, eviction) redoes at
 * most one chunk's reads and one object's write (same key). One run at a time (a lease row);
 * each run first removes queued erasures from the archive.
 */
import {
  chunkLimit,
  configuredHorizonDays,
  type EventRow,
  effectiveHorizonDays,
  foldEvents,
  replayEvents,
  retentionCut,
  trimChunk,
} from '../../core/retention';
import type { Profile } from '../../core/types';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { type ArchiveEnv, type ArchiveErasureResult, archiveChunk, eraseArchived } from './archive';
import { foldsOf } from './folds';

/** Rows per chunk: one read of ~1 000 rows, one batch whose parameters stay far below D1's 2 MB. */
export const CHUNK_ROWS = 1_000;
/** Wall time a run works before leaving the rest to the next minute's run. */
export const BUDGET_MS = 20_000;
/** A run that has not released its lease after this long is presumed dead. */
const LEASE_MS = 5 * 60_000;
/** Folds per statement: each is at most a profile (64 KB), a statement's parameter at most 2 MB. */
const FOLD_BYTES_PER_STATEMENT = 900_000;

const COLUMNS = `rowid AS rid, subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at`;

export interface RetentionOptions {
  /** The configured horizon in days (`EVENT_RETENTION_DAYS`); raised to what replays need. */
  horizonDays?: number;
  /** The R2 bucket to archive to before deleting; absent, retention only deletes. */
  archive?: R2Bucket;
  chunkRows?: number;
  budgetMs?: number;
  /** Stop after this many chunks (tests, the bench). */
  maxChunks?: number;
}

export interface RetentionRun {
  at: number;
  /** Events dated before this instant leave D1. */
  cut: number;
  horizonDays: number;
  chunks: number;
  deleted: number;
  archived: number;
  /** Members whose fold changed. */
  folded: number;
  erasure: ArchiveErasureResult;
  /** Nothing older than the cut is left. */
  done: boolean;
  /** Another run holds the lease. */
  busy?: boolean;
  error?: string;
}

/**
 * The options the cron passes: `EVENT_RETENTION_DAYS` and the optional `ARCHIVE` binding.
 * @example runRetention({d1, now}, retentionOptions(env))
 */
export function retentionOptions(env: { EVENT_RETENTION_DAYS?: string } & ArchiveEnv): RetentionOptions {
  return { horizonDays: configuredHorizonDays(env.EVENT_RETENTION_DAYS), archive: env.ARCHIVE };
}

/** The next chunk, or null when nothing is older than the cut. */
async function nextChunk(d1: D1Database, cut: number, size: number): Promise<{ rows: EventRow[]; limit: number } | null> {
  const oldest = await d1.prepare('SELECT MIN(at) AS at FROM events').first<{ at: number | null }>();
  if (oldest?.at === null || oldest?.at === undefined || oldest.at >= cut) return null;
  const limit = chunkLimit(oldest.at, cut);
  const { results } = await d1
    .prepare(`SELECT ${COLUMNS} FROM events WHERE at < ?1 ORDER BY at, rowid LIMIT ?2`)
    .bind(limit, size + 1)
    .all<EventRow>();
  const rows = trimChunk(results, size);
  if (rows) return { rows, limit };
  // More than `size` events share one instant: that instant is one chunk.
  const { results: instant } = await d1
    .prepare(`SELECT ${COLUMNS} FROM events WHERE at = ?1 ORDER BY rowid`)
    .bind(oldest.at)
    .all<EventRow>();
  return { rows: instant, limit };
}

/** Members' folds after this chunk (only members with events in it). */
async function foldChunk(
  ctx: Pick<ServiceContext, 'd1'>,
  rows: EventRow[],
  fold: (prev: Profile | null, rows: EventRow[], upTo: number) => Profile,
) {
  const byMember = new Map<string, EventRow[]>();
  for (const r of rows) {
    if (!r.member_id) continue;
    const list = byMember.get(r.member_id) ?? [];
    list.push(r);
    byMember.set(r.member_id, list);
  }
  const previous = await foldsOf(ctx, [...byMember.keys()]);
  const upTo = rows[rows.length - 1]!.at;
  return [...byMember].map(([memberId, list]) => [memberId, JSON.stringify(fold(previous.get(memberId) ?? null, list, upTo))] as const);
}

function foldStatements(d1: D1Database, folds: (readonly [string, string])[], until: number): D1PreparedStatement[] {
  const groups: (readonly [string, string])[][] = [];
  let size = Infinity;
  for (const f of folds) {
    if (size + f[1].length > FOLD_BYTES_PER_STATEMENT) {
      groups.push([]);
      size = 0;
    }
    groups.at(-1)!.push(f);
    size += f[1].length + f[0].length;
  }
  return groups.map((g) =>
    d1
      .prepare(
        `INSERT INTO event_folds (member_id, profile, until) SELECT value ->> '$[0]', value ->> '$[1]', ?2 FROM json_each(?1) WHERE 1
         ON CONFLICT(member_id) DO UPDATE SET profile = excluded.profile, until = excluded.until`,
      )
      .bind(JSON.stringify(g), until),
  );
}

const isGuardConflict = (err: unknown) => String((err as Error)?.message ?? err).includes('write_guard');

async function acquireLease(d1: D1Database, now: number): Promise<number | null> {
  const until = now + LEASE_MS;
  const row = await d1
    .prepare(
      `INSERT INTO retention_state (id, lease_until) VALUES (1, ?2)
       ON CONFLICT(id) DO UPDATE SET lease_until = excluded.lease_until WHERE retention_state.lease_until <= ?1 RETURNING id`,
    )
    .bind(now, until)
    .first<{ id: number }>();
  return row ? until : null;
}

/**
 * One run: queued archive erasures, then chunks until nothing is older than the cut, the time
 * budget is spent or `maxChunks` is reached. Never throws (the cron has no one to tell); the
 * summary is returned and stored in `retention_state.last_run`.
 * @example await runRetention(backgroundContext(env), retentionOptions(env)) // {deleted: 1000, done: false, …}
 */
export async function runRetention(ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>, opts: RetentionOptions = {}): Promise<RetentionRun> {
  const { d1, now } = ctx;
  const size = opts.chunkRows ?? CHUNK_ROWS;
  const deadline = Date.now() + (opts.budgetMs ?? BUDGET_MS);
  const run: RetentionRun = {
    at: now,
    cut: 0,
    horizonDays: 0,
    chunks: 0,
    deleted: 0,
    archived: 0,
    folded: 0,
    erasure: { erased: 0, lines: 0, pending: 0 },
    done: false,
  };
  let lease: number | null;
  try {
    lease = await acquireLease(d1, Date.now());
  } catch (err) {
    return { ...run, error: `lease: ${String((err as Error)?.message ?? err)}` };
  }
  if (lease === null) return { ...run, busy: true };
  try {
    const config = await currentConfig(ctx);
    run.horizonDays = effectiveHorizonDays(opts.horizonDays ?? configuredHorizonDays(undefined), config.retentionDays);
    run.cut = retentionCut(now, run.horizonDays);
    run.erasure = await eraseArchived(ctx, opts.archive, deadline);
    let conflicts = 0;
    while (run.chunks < (opts.maxChunks ?? Infinity) && Date.now() < deadline) {
      const chunk = await nextChunk(d1, run.cut, size);
      if (!chunk) {
        run.done = true;
        break;
      }
      const { rows, limit } = chunk;
      if (opts.archive) {
        try {
          await archiveChunk(ctx, opts.archive, rows);
        } catch (err) {
          run.error = `archive: ${String((err as Error)?.message ?? err)}`;
          break;
        }
      }
      const folds = await foldChunk(ctx, rows, (prev, list, upTo) => foldEvents(config, prev, replayEvents(list), upTo));
      const rids = JSON.stringify(rows.map((r) => r.rid));
      try {
        await d1.batch([
          d1
            .prepare(
              `INSERT OR REPLACE INTO write_guard (id, ok) VALUES (1,
                 (SELECT COUNT(*) FROM events WHERE rowid IN (SELECT value FROM json_each(?1)) AND at < ?3) = ?2)`,
            )
            .bind(rids, rows.length, limit),
          ...foldStatements(d1, folds, rows[rows.length - 1]!.at),
          d1.prepare('DELETE FROM events WHERE rowid IN (SELECT value FROM json_each(?1)) AND at < ?2').bind(rids, limit),
        ]);
      } catch (err) {
        // Rows changed under us (an erasure): read the chunk again, without them.
        if (!isGuardConflict(err) || ++conflicts > 3) throw err;
        continue;
      }
      run.chunks++;
      run.deleted += rows.length;
      run.folded += folds.length;
      if (opts.archive) run.archived += rows.length;
    }
  } catch (err) {
    run.error = String((err as Error)?.message ?? err);
  } finally {
    await d1
      .prepare('UPDATE retention_state SET lease_until = 0, last_run = ?2 WHERE id = 1 AND lease_until = ?1')
      .bind(lease, JSON.stringify(run))
      .run()
      .catch(() => {});
  }
  if (run.error) console.error(`retention: ${run.error}`);
  return run;
}
