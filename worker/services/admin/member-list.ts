/**
 * @module
 * Member lists as of now, at 100 000 members: filter by tier, segment, score, activity and
 * text; sort by current score or last activity; page with a keyset cursor.
 *
 * A member row stores its score *at its last activity* (`score`, `last_active_at`); decay is
 * applied when read. The current score is therefore computed in SQL with exactly the formula of
 * `decayedScore` (whole 24-hour days since the last activity × decay per day, floored at 0), and
 * since it can only be at most the stored score, every score floor also becomes `score >= n`
 * on the stored column, which the `members_score_active` index answers. That index also holds
 * `last_active_at` and `id`, so sorting by current score reads the index alone; the rows of the
 * page are then fetched by id. Sorting by last activity walks `members_active` and stops at the
 * page's end.
 *
 * A segment is a rule over traits and the behaviour profile, evaluated in JS. The list reads,
 * in sort order, only the members that could match (`ruleBound`: e.g. active in the last 7 days
 * for a 7-day behaviour window) and evaluates the real rule on them, in chunks, until the page
 * is full (chunks start at twice the page and double). A rare segment with no such bound could mean reading every member, so one request
 * reads at most `SCAN_BUDGET` rows: the page may then hold fewer than `limit` members and carry
 * a `nextCursor` that resumes the scan (every page stays fast; the list stays exact).
 *
 * A text search (`q`) asks the trigram index over trait text (`member_search_fts`, kept by
 * triggers) and the id prefix for its candidates: up to 2 000 are read by primary key, checked
 * exactly and sorted; more (a common term) and the text is checked on a window of the sorted
 * list sized to the term's frequency, resumed by the cursor (`readWindow` below; the candidates
 * and the term's share come from member-search.ts).
 */
import type { FitScorer } from '../../core/fit';
import type { CompiledConfig } from '../../core/compile';
import { emptyProfile } from '../../core/profile';
import { decodeCursor, encodeCursor, type ListCursor } from '../../core/list-cursor';
import { ruleBound, type Bound } from '../../core/member-bounds';
import { tierOf } from '../../core/scoring';
import { resolveSegment, type CompiledSegments } from '../../core/segments';
import { textSearch } from '../../core/text-search';
import { CANDIDATE_CAP, searchCandidates, windowShare } from './member-search';
import type { Profile } from '../../core/types';
import { DAY_MS } from '../../core/types';
import { ApiError, issue } from '../../errors';
import { parseJsonColumn } from '../../lib/json-column';
import type { ScoringSettings, Tier, Traits } from '../../schema/config';
import type { MemberFilters, MemberSort } from '../../schema/members';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';

export interface MemberListItem {
  id: string;
  traits: Traits;
  score: number;
  /** Fit points (trait-testing scoring rules) from the traits as they are now. */
  fit: number;
  tier: Tier;
  segment: string | null;
  lastActiveAt: string | null;
}

export interface MemberPage {
  items: MemberListItem[];
  nextCursor: string | null;
}

/** Rows a segment-filtered page reads per request at most (see the module comment). */
export const SCAN_BUDGET = 5_000;
const SCAN_CHUNK = 500;

interface Row {
  id: string;
  traits: string | null;
  profile: string | null;
  last_active_at: number | null;
  cur: number;
}

/** Collects bound values and hands out their `?N` placeholders. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `?${this.values.length}`;
  }
}

/** The current score in SQL: `decayedScore(score, last_active_at, now, decayPerDay)`. */
function currentScoreSql(p: Params, now: number, decayPerDay: number): string {
  const days = `MAX(0, CAST((${p.add(now)} - last_active_at) / ${DAY_MS} AS INTEGER))`;
  return `(CASE WHEN last_active_at IS NULL THEN MAX(0, score) ELSE MAX(0, score - ${p.add(decayPerDay)} * ${days}) END)`;
}

function boundSql(b: Bound, p: Params): string {
  switch (b.kind) {
    case 'true':
      return '1';
    case 'false':
      return '0';
    case 'all':
      return `(${b.of.map((x) => boundSql(x, p)).join(' AND ')})`;
    case 'any':
      return `(${b.of.map((x) => boundSql(x, p)).join(' OR ')})`;
    case 'storedScoreAtLeast':
      return `score >= ${p.add(b.value)}`;
    case 'activeSince':
      return `last_active_at >= ${p.add(b.at)}`;
    case 'quietSince':
      return `(last_active_at <= ${p.add(b.before)} OR last_active_at >= ${p.add(b.orAfter)})`;
    case 'everActive':
      return 'last_active_at IS NOT NULL';
  }
}

/** Everything a list (or an export) needs, resolved once per request. */
export interface ListPlan {
  now: number;
  sort: MemberSort;
  settings: ScoringSettings;
  segments: CompiledSegments;
  fit: FitScorer;
  /** The segment asked for, if any: rows are evaluated in JS. */
  segment: string | null;
  /** A text search with few candidates: they are read by primary key (no sort index is forced). */
  searched: boolean;
  /**
   * A common text search outside a segment list: checked on a window of the sorted list (see
   * `readPage`), `(p, table) => SQL` on that table's row.
   */
  windowCheck: ((p: Params, table: string) => string) | null;
  /** The share of members a common term matches (counted up to a cap): sizes its window. */
  windowShare: number;
  where: (p: Params, cur: string) => string[];
}

/**
 * Checks the filters against the configuration (an unknown segment is a 400) and fixes the
 * instant the list is computed at: the cursor's, so later pages agree with the first.
 * A text search reads its candidates here (`candidateCap`: more and the list is walked in sort
 * order instead; tests lower it to exercise both ways).
 */
export async function planList(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  filters: MemberFilters,
  cursor: ListCursor | null,
  candidateCap = CANDIDATE_CAP,
  /** The configuration at the version D1 holds now, when the caller has it (else read here). */
  current?: CompiledConfig,
): Promise<ListPlan> {
  const config = current ?? (await currentConfig(ctx));
  const settings = config.source.scoring.settings;
  const at = cursor?.at ?? ctx.now;
  const segment = filters.segment ?? null;
  const compiled = segment === null ? null : config.segments.find((s) => s.segment.key === segment);
  if (segment !== null && !compiled) {
    throw new ApiError(400, 'invalid_request', 'Invalid query parameters', [
      issue(['segment'], 'custom', `No enabled segment "${segment}"`, { reason: 'unknown_segment', segment }),
    ]);
  }
  const search = filters.q === undefined ? null : textSearch(filters.q);
  const candidates = search ? await searchCandidates(ctx, search, candidateCap) : null;
  const share = search && !candidates && !compiled ? await windowShare(ctx, search) : 1;
  // The exact rule, however the rows were found (the index may over-match). The raw JSON is a
  // cheap first test when the needle reads the same inside JSON (no quote, backslash or control
  // character, which JSON escapes).
  const textCheck = (p: Params, t: string): string => {
    const s = search!;
    const needle = p.add(s.needle);
    const quick = /[\u0000-\u001f"\\]/.test(s.needle) ? '' : `instr(lower(${t}.traits), ${needle}) > 0 AND `;
    return `((${t}.id >= ${p.add(s.prefix)} AND ${t}.id < ${p.add(`${s.prefix}\u{10FFFF}`)}) OR (${quick}EXISTS (SELECT 1 FROM json_each(${t}.traits) j WHERE j.type = 'text' AND instr(lower(j.value), ${needle}) > 0)))`;
  };
  const where = (p: Params, cur: string): string[] => {
    const w: string[] = [];
    const floor = (n: number) => w.push(`score >= ${p.add(n)}`, `${cur} >= ${p.add(n)}`);
    if (filters.tier === 'hot') floor(settings.hotAt);
    if (filters.tier === 'warm') {
      floor(settings.warmAt);
      w.push(`${cur} < ${p.add(settings.hotAt)}`);
    }
    if (filters.tier === 'cold') w.push(`${cur} < ${p.add(settings.warmAt)}`);
    if (filters.minScore !== undefined && filters.minScore > 0) floor(filters.minScore);
    if (filters.activeWithinDays !== undefined) w.push(`last_active_at > ${p.add(at - filters.activeWithinDays * DAY_MS)}`);
    if (filters.inactiveForDays !== undefined) w.push(`last_active_at <= ${p.add(at - filters.inactiveForDays * DAY_MS)}`);
    // A few candidates (member-search.ts): read by primary key, checked, then sorted.
    if (search && candidates) {
      w.push(`id IN (SELECT value FROM json_each(${p.add(JSON.stringify(candidates))}))`);
      w.push(textCheck(p, 'members'));
    }
    // A common term in a segment list: checked with every row the segment scan reads (budgeted).
    if (search && !candidates && compiled) w.push(textCheck(p, 'members'));
    if (compiled) {
      const bound = ruleBound(compiled.segment.rule, settings, at);
      if (bound.kind !== 'true') w.push(boundSql(bound, p));
    }
    return w;
  };
  return {
    now: at,
    sort: filters.sort ?? 'score',
    settings,
    segments: config.segments,
    fit: config.fit,
    segment,
    searched: candidates !== null,
    windowCheck: search && !candidates && !compiled ? textCheck : null,
    windowShare: share,
    where,
  };
}

/**
 * The SQL of one page: the next `limit` rows after `after` in sort order, with the current
 * score (exported so tests can ask SQLite which indexes it uses).
 */
export function pageSql(plan: ListPlan, after: ListCursor | null, limit: number, window = SCAN_BUDGET): { sql: string; params: unknown[] } {
  const p = new Params();
  const cur = currentScoreSql(p, plan.now, plan.settings.decayPerDay);
  const where = plan.where(p, cur);
  let order: string;
  let outer: string;
  if (plan.sort === 'score') {
    if (after) where.push(`(${cur} < ${p.add(after.key ?? 0)} OR (${cur} = ${p.add(after.key ?? 0)} AND id > ${p.add(after.id)}))`);
    order = 'cur DESC, id ASC';
    outer = 'page.cur DESC, page.id ASC';
  } else {
    if (after && after.key !== null) {
      where.push(
        `(last_active_at < ${p.add(after.key)} OR (last_active_at = ${p.add(after.key)} AND id < ${p.add(after.id)}) OR last_active_at IS NULL)`,
      );
    } else if (after) {
      where.push(`(last_active_at IS NULL AND id < ${p.add(after.id)})`);
    }
    order = 'last_active_at DESC, id DESC';
    outer = 'page.last_active_at DESC, page.id DESC';
  }
  // The page's ids come from the indexes alone (see the module comment); its rows are then
  // read by primary key, so traits and profiles are read for the page only. Sorting by score
  // names its covering index: with an OR on last activity (a dormancy bound) SQLite would
  // otherwise pick the last-activity index and read a table row per candidate. A text search
  // is read from its candidates instead (few, by primary key), then sorted.
  const from = `members${plan.sort === 'score' && !plan.searched ? ' INDEXED BY members_score_active' : ''}`;
  const filtered = `SELECT id, last_active_at, ${cur} AS cur FROM ${from}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order}`;
  if (plan.windowCheck) {
    // The next `window` rows in sort order, from the indexes alone; the page is those of them
    // that pass the text check (read by primary key), and `edge` is the window's last row
    // with the window's size, where the next request resumes when the page is not full.
    const inRanked = plan.sort === 'score' ? 'ranked.cur DESC, ranked.id ASC' : 'ranked.last_active_at DESC, ranked.id DESC';
    const reverse = plan.sort === 'score' ? 'cur ASC, id DESC' : 'last_active_at ASC, id ASC';
    const sql = `WITH ranked AS (${filtered} LIMIT ${p.add(window)}),
      page AS (
        SELECT ranked.id, ranked.last_active_at, ranked.cur FROM ranked JOIN members m ON m.id = ranked.id
        WHERE ${plan.windowCheck(p, 'm')} ORDER BY ${inRanked} LIMIT ${p.add(limit)}
      ),
      edge AS (
        SELECT id AS edge_id, last_active_at AS edge_last, cur AS edge_cur, (SELECT COUNT(*) FROM ranked) AS edge_n
        FROM ranked ORDER BY ${reverse} LIMIT 1
      )
      SELECT edge.*, page.id, page.last_active_at, page.cur, m.traits, m.profile
      FROM edge LEFT JOIN page ON 1 LEFT JOIN members m ON m.id = page.id
      ORDER BY ${outer}`;
    return { sql, params: p.values };
  }
  const sql = `WITH page AS (${filtered} LIMIT ${p.add(limit)})
    SELECT page.id, page.last_active_at, page.cur, m.traits, m.profile FROM page JOIN members m ON m.id = page.id
    ORDER BY ${outer}`;
  return { sql, params: p.values };
}

function pageQuery(d1: D1Database, plan: ListPlan, after: ListCursor | null, limit: number): D1PreparedStatement {
  const { sql, params } = pageSql(plan, after, limit);
  return d1.prepare(sql).bind(...params);
}

function toItem(row: Row, plan: ListPlan): MemberListItem {
  const traits = parseJsonColumn<Traits>(row.traits, {});
  const profile: Profile = { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(row.profile, {}) };
  const segment = resolveSegment(plan.segments, { traits, profile, now: plan.now, settings: plan.settings });
  return {
    id: row.id,
    traits,
    score: row.cur,
    fit: plan.fit.score(traits),
    tier: tierOf(row.cur, plan.settings),
    segment: segment?.key ?? null,
    lastActiveAt: row.last_active_at === null ? null : new Date(row.last_active_at).toISOString(),
  };
}

const positionOf = (row: Row, plan: ListPlan): ListCursor => ({
  at: plan.now,
  sort: plan.sort,
  key: plan.sort === 'score' ? row.cur : row.last_active_at,
  id: row.id,
});

export interface PageOptions {
  limit: number;
  /** Rows read at most for a segment filter before answering with what was found. */
  scanBudget?: number;
}

interface WindowRow extends Row {
  edge_id: string;
  edge_last: number | null;
  edge_cur: number;
  edge_n: number;
}

/**
 * A page of a common text search: the members passing the text check among the next
 * `scanBudget` rows in sort order (one query). Fewer than `limit` of them and a full window:
 * a short page whose cursor resumes after the window, as a segment scan does.
 */
async function readWindow(
  d1: D1Database,
  plan: ListPlan,
  after: ListCursor | null,
  opts: PageOptions,
): Promise<{ items: MemberListItem[]; next: ListCursor | null }> {
  // About 1.5 pages' worth of matches at the term's frequency, at most the scan budget.
  const sized = Math.ceil((1.5 * (opts.limit + 1)) / plan.windowShare);
  const window = Math.max(opts.limit + 1, Math.min(sized, opts.scanBudget ?? SCAN_BUDGET, SCAN_BUDGET));
  const { sql, params } = pageSql(plan, after, opts.limit + 1, window);
  const { results } = await d1
    .prepare(sql)
    .bind(...params)
    .all<WindowRow>();
  const edge = results[0];
  if (!edge) return { items: [], next: null };
  const hits = results.filter((r) => r.id !== null);
  if (hits.length > opts.limit) {
    const rows = hits.slice(0, opts.limit);
    return { items: rows.map((r) => toItem(r, plan)), next: positionOf(rows[rows.length - 1]!, plan) };
  }
  const items = hits.map((r) => toItem(r, plan));
  if (edge.edge_n < window) return { items, next: null };
  return {
    items,
    next: positionOf({ id: edge.edge_id, last_active_at: edge.edge_last, cur: edge.edge_cur, traits: null, profile: null }, plan),
  };
}

/**
 * One page of the list after `after` (null: the first page).
 * @example await readPage(c.var.svc, await planList(c.var.svc, {tier: 'hot'}, null), null, {limit: 50})
 */
export async function readPage(
  { d1 }: Pick<ServiceContext, 'd1'>,
  plan: ListPlan,
  after: ListCursor | null,
  opts: PageOptions,
): Promise<{ items: MemberListItem[]; next: ListCursor | null }> {
  if (plan.windowCheck) return readWindow(d1, plan, after, opts);
  if (plan.segment === null) {
    const { results } = await pageQuery(d1, plan, after, opts.limit + 1).all<Row>();
    const rows = results.slice(0, opts.limit);
    const items = rows.map((r) => toItem(r, plan));
    return { items, next: results.length > opts.limit ? positionOf(rows[rows.length - 1]!, plan) : null };
  }
  const budget = opts.scanBudget ?? SCAN_BUDGET;
  const items: MemberListItem[] = [];
  let position = after;
  let scanned = 0;
  // Start small (a common segment fills the page from the first rows) and grow for rare ones.
  let size = Math.max(2 * opts.limit, 50);
  while (scanned < budget) {
    const chunk = Math.min(size, SCAN_CHUNK, budget - scanned);
    size *= 2;
    const { results } = await pageQuery(d1, plan, position, chunk).all<Row>();
    for (const row of results) {
      scanned++;
      position = positionOf(row, plan);
      const item = toItem(row, plan);
      if (item.segment !== plan.segment) continue;
      items.push(item);
      if (items.length === opts.limit) return { items, next: position };
    }
    if (results.length < chunk) return { items, next: null };
  }
  return { items, next: position };
}

/**
 * `GET /api/members`: a page and the cursor of the next one (null at the end), as of `ctx.now`.
 * @example await listMembers(c.var.svc, {tier: 'hot', sort: 'score'}, {limit: 50})
 */
export async function listMembers(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  filters: MemberFilters,
  page: { limit?: number; cursor?: string },
): Promise<MemberPage> {
  const cursor = page.cursor === undefined ? null : decodeCursor(page.cursor);
  if (page.cursor !== undefined && (cursor === null || cursor.sort !== (filters.sort ?? 'score'))) {
    throw new ApiError(400, 'invalid_request', 'Invalid query parameters', [
      issue(['cursor'], 'custom', 'Not a cursor of this list', { reason: 'invalid_cursor' }),
    ]);
  }
  const plan = await planList(ctx, filters, cursor, CANDIDATE_CAP, await currentConfig(ctx));
  const { items, next } = await readPage(ctx, plan, cursor, { limit: page.limit ?? 50 });
  return { items, nextCursor: next ? encodeCursor(next) : null };
}
