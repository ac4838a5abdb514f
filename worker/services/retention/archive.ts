/**
 * @module
 * The optional R2 archive of deleted events (binding `ARCHIVE`): one NDJSON object per chunk
 * under its UTC day (`events/YYYY-MM-DD/<first at>-<first row>.ndjson`), written before the
 * chunk leaves D1, and an index of which subjects have lines on which day, so an erasure removes
 * those lines too.
 *
 * Erasure stays final with an archive: the erasure's batch queues the erased subjects' tombstone
 * keys (`archive_erasures`); the next retention run looks their days up in `archive_index`,
 * rewrites that day's objects without their lines, then drops the index entries and the queue
 * row. Index entries are written before the object, and one retention run works at a time (a
 * lease), so an object holding an erased subject's lines is always either indexed before the
 * erasure is processed or read from D1 after the erasure committed (and so without those lines).
 */
import { archiveKey, archiveLine, archivePrefix, type EventRow, lineSubjects, ownerOf, utcDay, withoutErased } from '../../core/retention';
import { DAY_MS } from '../../core/types';
import type { ServiceContext } from '../context';
import { tombstoneKey } from '../tombstones';

/** The archive binding, optional: not in wrangler.toml (docs/storage.md says how to add it). */
export type ArchiveEnv = { ARCHIVE?: R2Bucket };

/** Erasures handled per run (each rewrites the archived days of its subjects). */
const ERASURES_PER_RUN = 50;

/** Tombstone keys of a chunk's subjects, hashed once per subject. */
async function ownersOf(rows: EventRow[]): Promise<number[]> {
  const subjects = new Set(rows.flatMap(lineSubjects));
  const keys = await Promise.all([...subjects].map(tombstoneKey));
  return [...new Set(keys.map(ownerOf))];
}

/**
 * Indexes a chunk's subjects under its day, then writes its object. Throws when R2 refuses
 * (the caller then deletes nothing). Returns the object's key.
 * @example await archiveChunk(ctx, env.ARCHIVE, rows) // "events/2025-10-28/1761609600000-1.ndjson"
 */
export async function archiveChunk({ d1 }: Pick<ServiceContext, 'd1'>, bucket: R2Bucket, rows: EventRow[]): Promise<string> {
  const first = rows[0]!;
  await d1
    .prepare('INSERT OR IGNORE INTO archive_index (id) SELECT (value << 16) | ?2 FROM json_each(?1)')
    .bind(JSON.stringify(await ownersOf(rows)), utcDay(first.at))
    .run();
  const key = archiveKey(first);
  await bucket.put(key, `${rows.map(archiveLine).join('\n')}\n`, {
    httpMetadata: { contentType: 'application/x-ndjson' },
    customMetadata: { lines: String(rows.length) },
  });
  return key;
}

export interface ArchiveErasureResult {
  /** Erased subjects whose archived lines are now gone. */
  erased: number;
  /** Lines removed from archive objects. */
  lines: number;
  /** Subjects still queued (time ran out, or lines archived but no ARCHIVE binding). */
  pending: number;
}

/**
 * Removes queued erasures' lines from the archive (idempotent: a run cut short is redone whole).
 * @example await eraseArchived(ctx, env.ARCHIVE, Date.now() + 20_000) // {erased: 1, lines: 12, pending: 0}
 */
export async function eraseArchived(
  { d1 }: Pick<ServiceContext, 'd1'>,
  bucket: R2Bucket | undefined,
  deadline: number,
): Promise<ArchiveErasureResult> {
  const { results } = await d1
    .prepare('SELECT key FROM archive_erasures ORDER BY at, key LIMIT ?1')
    .bind(ERASURES_PER_RUN)
    .all<{ key: string }>();
  if (!results.length) return { erased: 0, lines: 0, pending: 0 };
  const keys = new Set(results.map((r) => r.key));
  const owners = [...new Set([...keys].map(ownerOf))];
  const { results: days } = await d1
    .prepare(
      `SELECT DISTINCT a.id & 65535 AS day FROM json_each(?1) o
       JOIN archive_index a ON a.id >= (o.value << 16) AND a.id < ((o.value + 1) << 16) ORDER BY day`,
    )
    .bind(JSON.stringify(owners))
    .all<{ day: number }>();
  const pending = await d1.prepare('SELECT COUNT(*) AS n FROM archive_erasures').first<{ n: number }>();
  if (days.length && !bucket) {
    console.warn(`retention: ${keys.size} erasures have archived lines but ARCHIVE is not bound; kept queued`);
    return { erased: 0, lines: 0, pending: pending?.n ?? keys.size };
  }
  let lines = 0;
  for (const { day } of days) {
    let cursor: string | undefined;
    do {
      if (Date.now() > deadline) return { erased: 0, lines, pending: pending?.n ?? keys.size };
      const page = await bucket!.list({ prefix: archivePrefix(day * DAY_MS), cursor });
      for (const object of page.objects) {
        const body = await bucket!.get(object.key);
        if (!body) continue;
        const cleaned = await withoutErased(await body.text(), keys, tombstoneKey);
        if (!cleaned) continue;
        lines += cleaned.removed;
        if (cleaned.text) await bucket!.put(object.key, cleaned.text, { httpMetadata: { contentType: 'application/x-ndjson' } });
        else await bucket!.delete(object.key);
      }
      cursor = page.truncated ? page.cursor : undefined;
    } while (cursor);
  }
  await d1.batch([
    ...owners.map((o) => d1.prepare('DELETE FROM archive_index WHERE id >= (?1 << 16) AND id < ((?1 + 1) << 16)').bind(o)),
    d1.prepare('DELETE FROM archive_erasures WHERE key IN (SELECT value FROM json_each(?1))').bind(JSON.stringify([...keys])),
  ]);
  return { erased: keys.size, lines, pending: Math.max(0, (pending?.n ?? keys.size) - keys.size) };
}
