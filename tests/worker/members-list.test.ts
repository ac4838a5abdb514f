/**
 * GET /api/members through the worker and a real local D1: 400 generated members (scores,
 * last activities from now to 300 days ago, never-active imports, target and non-target
 * traits, real behaviour profiles), every filter and both sorts paged with the cursor, checked
 * against a list computed here from the same rows (current score = stored − whole days × decay).
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../worker/core/list-cursor';
import { applyEvents, emptyProfile } from '../../worker/core/profile';
import { compileSegments, resolveSegment } from '../../worker/core/segments';
import { DAY_MS, type NormalizedEvent } from '../../worker/core/types';
import { DEFAULT_SCORING_RULES, DEFAULT_SCORING_SETTINGS } from '../../worker/core/defaults';
import { createDb } from '../../worker/db/client';
import { getConfig, invalidateConfig } from '../../worker/services/config-store';
import { pageSql, planList, readPage } from '../../worker/services/admin/member-list';
import { demo } from '../../db/seed/sql.mjs';
import type { ScoringSettings, Segment, Traits } from '../../worker/schema/config';
import { api } from './admin-helpers';
import { loadDemo } from './helpers';
import { seededRandom } from '../../worker/core/random';

interface Seeded {
  id: string;
  traits: Traits;
  score: number;
  last: number | null;
  profile: ReturnType<typeof emptyProfile>;
}

const NOW = Date.now();
const members: Seeded[] = [];
/** The segments and settings the worker evaluates with (whatever the configuration holds). */
let compiled = compileSegments(demo.segments as Segment[]);
let settings: ScoringSettings = DEFAULT_SCORING_SETTINGS;

beforeAll(async () => {
  await loadDemo();
  const r = seededRandom(11);
  const kinds: [NormalizedEvent['type'], Record<string, unknown>][] = [
    ['page_view', { category: 'pricing' }],
    ['page_view', { category: 'blog' }],
    ['download', { asset: 'a.pdf', kind: 'case_study' }],
    ['download', { asset: 'w.pdf', kind: 'whitepaper' }],
    ['form_inquiry', { form: 'contact' }],
    ['seminar_attend', { seminar: 's' }],
  ];
  for (let i = 0; i < 400; i++) {
    const events: NormalizedEvent[] = [];
    const n = i % 10 === 0 ? 0 : Math.floor(r() * 8);
    const base = r() * 300 * DAY_MS;
    for (let k = 0; k < n; k++) {
      const [type, props] = kinds[Math.floor(r() * kinds.length)]!;
      events.push({ id: `e${i}-${k}`, type, props, at: NOW - base - r() * 5 * DAY_MS });
    }
    const { profile } = applyEvents(
      emptyProfile(),
      events,
      { rules: DEFAULT_SCORING_RULES, settings: DEFAULT_SCORING_SETTINGS },
      { now: NOW, retentionDays: 365 },
    );
    const pick = r();
    const traits: Traits =
      pick < 0.4
        ? { company: `会社${i}`, industry: 'IT', employees: 120 }
        : pick < 0.7
          ? { company: `Firm ${i}`, industry: 'Manufacturing', employees: 30 }
          : { company: `不明${i}` };
    // Ties on purpose: several members share a score, so the id tiebreak is exercised.
    members.push({ id: `m-${String(i).padStart(4, '0')}`, traits, score: profile.score, last: profile.lastActiveAt, profile });
  }
  const stmts = members.map((m) =>
    env.DB.prepare('INSERT INTO members (id, traits, profile, score, last_active_at) VALUES (?1, ?2, ?3, ?4, ?5)').bind(
      m.id,
      JSON.stringify(m.traits),
      JSON.stringify(m.profile),
      m.score,
      m.last,
    ),
  );
  await env.DB.batch(stmts);
  invalidateConfig();
  const config = await getConfig({ db: createDb(env.DB) });
  compiled = config.segments;
  settings = config.source.scoring.settings;
});

const current = (m: Seeded, at = NOW) => (m.last === null ? m.score : Math.max(0, m.score - Math.floor(Math.max(0, at - m.last) / DAY_MS)));
const tier = (s: number) => (s >= 80 ? 'hot' : s >= 30 ? 'warm' : 'cold');
const segmentOf = (m: Seeded, at = NOW) =>
  resolveSegment(compiled, { traits: m.traits, profile: m.profile, now: at, settings })?.key ?? null;

type Filter = Record<string, string>;

function expected(f: Filter, at = NOW): string[] {
  const q = f.q?.toLowerCase();
  const rows = members.filter((m) => {
    const s = current(m, at);
    if (f.tier && tier(s) !== f.tier) return false;
    if (f.minScore && s < Number(f.minScore)) return false;
    if (f.activeWithinDays && !(m.last !== null && m.last > at - Number(f.activeWithinDays) * DAY_MS)) return false;
    if (f.inactiveForDays && !(m.last !== null && m.last <= at - Number(f.inactiveForDays) * DAY_MS)) return false;
    if (f.segment && segmentOf(m, at) !== f.segment) return false;
    if (q && !m.id.startsWith(f.q!) && !Object.values(m.traits).some((v) => typeof v === 'string' && v.toLowerCase().includes(q)))
      return false;
    return true;
  });
  if (f.sort === 'lastActive') {
    rows.sort((a, b) => (b.last ?? -1) - (a.last ?? -1) || (a.id < b.id ? 1 : -1));
  } else {
    rows.sort((a, b) => current(b, at) - current(a, at) || (a.id < b.id ? -1 : 1));
  }
  return rows.map((m) => m.id);
}

async function all(f: Filter, limit = 7): Promise<{ ids: string[]; pages: number; items: any[] }> {
  const ids: string[] = [];
  const items: any[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const qs = new URLSearchParams({ ...f, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await api('GET', `/members?${qs}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 200);
  return { ids, pages, items };
}

describe('GET /api/members', () => {
  const filters: Filter[] = [
    {},
    { sort: 'lastActive' },
    { tier: 'hot' },
    { tier: 'warm' },
    { tier: 'cold', sort: 'lastActive' },
    { minScore: '25' },
    { activeWithinDays: '30' },
    { inactiveForDays: '90', sort: 'lastActive' },
    { tier: 'warm', activeWithinDays: '60', sort: 'lastActive' },
    { segment: 'dormant' },
    { segment: 'non_target', sort: 'lastActive' },
    { segment: 'consideration' },
    { segment: 'info_gathering' },
    { segment: 'hot_lead' },
    { q: 'm-01' },
    { q: '会社1' },
    { q: 'firm 2', sort: 'lastActive' },
  ];

  it.each(filters)('%o pages through exactly the expected members, in order', async (f) => {
    const want = expected(f);
    const got = await all(f);
    expect(got.ids).toEqual(want);
  });

  it('the demo segments each find members here (the filters above are not vacuous)', () => {
    for (const key of ['dormant', 'non_target', 'consideration', 'info_gathering'])
      expect(expected({ segment: key }).length, key).toBeGreaterThan(0);
    expect(expected({ tier: 'hot' }).length).toBeGreaterThan(0);
    expect(members.filter((m) => m.last === null).length).toBeGreaterThan(0);
  });

  it('items carry score, tier and segment as of now, traits and last activity', async () => {
    const { items } = await all({}, 50);
    expect(items).toHaveLength(members.length);
    for (const item of items) {
      const m = members.find((x) => x.id === item.id)!;
      expect(item).toEqual({
        id: m.id,
        traits: m.traits,
        score: current(m),
        // The demo configuration has no fit points.
        fit: 0,
        tier: tier(current(m)),
        segment: segmentOf(m),
        lastActiveAt: m.last === null ? null : new Date(m.last).toISOString(),
      });
    }
  });

  it('"today\'s hot leads" and "dormant targets" are plain filters', async () => {
    expect((await all({ tier: 'hot', activeWithinDays: '1' })).ids).toEqual(expected({ tier: 'hot', activeWithinDays: '1' }));
    expect((await all({ segment: 'dormant', sort: 'lastActive' })).ids).toEqual(expected({ segment: 'dormant', sort: 'lastActive' }));
  });

  it('every page of a list is computed at the instant of its first page', async () => {
    const at = NOW - 20 * DAY_MS;
    // A cursor from a list started 20 days ago, pointing before everyone: scores come out as of then.
    const cursor = encodeCursor({ at, sort: 'score', key: 1e9, id: '' });
    const res = await api('GET', `/members?limit=200&cursor=${cursor}`);
    expect(res.status).toBe(200);
    const first = res.body.items[0];
    const m = members.find((x) => x.id === first.id)!;
    expect(first.score).toBe(current(m, at));
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(expected({}, at).slice(0, 200));
  });

  it('a segment page that reads its scan budget answers with what it found and a cursor that resumes', async () => {
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    const plan = await planList(ctx, { segment: 'non_target' }, null);
    const ids: string[] = [];
    let cursor = null;
    let pages = 0;
    let short = 0;
    do {
      const page = await readPage(ctx, plan, cursor, { limit: 5, scanBudget: 20 });
      if (page.items.length < 5 && page.next) short++;
      ids.push(...page.items.map((i) => i.id));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 500);
    expect(ids).toEqual(expected({ segment: 'non_target' }));
    expect(short).toBeGreaterThan(0);
  });

  it('sorting by score reads the covering index; by last activity, the last-activity index', async () => {
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    for (const [filters, index] of [
      [{}, 'members_score_active'],
      [{ tier: 'hot' as const }, 'members_score_active'],
      [{ sort: 'lastActive' as const }, 'members_active'],
      [{ sort: 'lastActive' as const, inactiveForDays: 90 }, 'members_active'],
    ] as const) {
      const plan = await planList(ctx, filters, null);
      const { sql, params } = pageSql(plan, null, 50);
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      const details = results.map((r) => r.detail).join(' | ');
      expect(details, JSON.stringify(filters)).toContain(index);
      expect(details).not.toMatch(/SCAN members(?! USING)/);
    }
  });

  it.each([
    ['tier=lukewarm', 'tier'],
    ['minScore=-1', 'minScore'],
    ['minScore=abc', 'minScore'],
    ['activeWithinDays=0', 'activeWithinDays'],
    ['inactiveForDays=1.5', 'inactiveForDays'],
    ['limit=0', 'limit'],
    ['limit=1000', 'limit'],
    ['sort=name', 'sort'],
    ['segment=Not%20A%20Slug', 'segment'],
    ['segment=ghost', 'segment'],
    ['cursor=garbage', 'cursor'],
  ])('%s → 400 on %s', async (qs, field) => {
    const res = await api('GET', `/members?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.issues.map((i: { path: string[] }) => i.path[0])).toContain(field);
  });

  it('refuses a cursor of the other sort', async () => {
    const first = await api('GET', '/members?limit=2&sort=lastActive');
    const res = await api('GET', `/members?limit=2&sort=score&cursor=${first.body.nextCursor}`);
    expect(res.status).toBe(400);
  });

  it('treats empty parameters as absent', async () => {
    const res = await api('GET', '/members?tier=&segment=&minScore=&q=&limit=3');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(expected({}).slice(0, 3));
  });
});
