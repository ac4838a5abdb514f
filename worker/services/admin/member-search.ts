/**
 * @module
 * The members a text search can match, from the trigram index (or, below 3 characters, the narrow
 * text table), read up to a cap: a few candidates are cheapest read by primary key; past the cap
 * the term is common and the list is cheaper read in sort order, checking the text on a window
 * of it sized to the term's frequency (`windowShare`).
 */
import type { TextSearch } from '../../core/text-search';
import type { ServiceContext } from '../context';

/**
 * Candidates read at most. Reading C candidates by id and sorting them costs about C row reads;
 * walking the list in sort order costs about `limit × members / C` row reads before a page is
 * full. At 100 000 members the two meet near √(50 × 100 000) ≈ 2 200.
 */
export const CANDIDATE_CAP = 2_000;

/**
 * The ids a search can match (each still to be checked exactly), or null when there are more
 * than `cap`. The FTS join streams, so a common term stops reading at the cap.
 * @example await searchCandidates(c.var.svc, textSearch('サンプル1234')!) // ['bm-1234', 'bm-12340', …] (unordered)
 */
export async function searchCandidates(
  { d1 }: Pick<ServiceContext, 'd1'>,
  search: TextSearch,
  cap = CANDIDATE_CAP,
): Promise<string[] | null> {
  const prefix = 'SELECT id FROM members WHERE id >= ?1 AND id < ?2';
  const text =
    search.match === null
      ? 'SELECT member_id FROM member_search WHERE instr(lower(body), ?3) > 0'
      : 'SELECT s.member_id FROM member_search_fts f JOIN member_search s ON s.id = f.rowid WHERE member_search_fts MATCH ?3';
  // UNION ALL streams (UNION would collect both sides first); a member on both sides counts twice,
  // which can only send a search down the sort-order path a little early.
  const rows = await d1
    .prepare(`${prefix} UNION ALL ${text} LIMIT ?4`)
    .bind(search.prefix, `${search.prefix}\u{10FFFF}`, search.match ?? search.needle, cap + 1)
    .raw<[string]>();
  if (rows.length > cap) return null;
  return [...new Set(rows.map((r) => r[0]))];
}

/** Matches counted at most when sizing the window of a common term. */
export const COUNT_CAP = 5_000;

/**
 * How many members to check per page for a common term: about 1.5 pages' worth of rows at the
 * term's frequency (matches counted up to `COUNT_CAP`, over all members), at least a page.
 * A window that holds fewer matches than a page makes a short page that resumes; never a wrong one.
 * @example await windowShare(c.var.svc, textSearch('example')!) // 0.2 (a fifth of the members match, or more)
 */
export async function windowShare({ d1 }: Pick<ServiceContext, 'd1'>, search: TextSearch): Promise<number> {
  const text =
    search.match === null
      ? 'SELECT 1 FROM member_search WHERE instr(lower(body), ?1) > 0'
      : 'SELECT 1 FROM member_search_fts WHERE member_search_fts MATCH ?1';
  const row = await d1
    .prepare(`SELECT (SELECT COUNT(*) FROM (${text} LIMIT ?2)) AS c, (SELECT COUNT(*) FROM members) AS n`)
    .bind(search.match ?? search.needle, COUNT_CAP)
    .first<{ c: number; n: number }>();
  return row && row.n > 0 ? Math.min(1, Math.max(row.c, 1) / row.n) : 1;
}
