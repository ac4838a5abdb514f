/**
 * Text search in member lists (`GET /api/members?q=`) through the worker and a real local D1:
 * the trigram index (`member_search_fts` over `member_search`) is written by triggers with every
 * trait write, so these tests write traits the ways the product does (CSV import, the server
 * traits API, identify, erasure, plain inserts) and check what a search finds, against an
 * expected list computed here from the members' traits with the documented rule.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCp932Encoder } from '../../worker/core/cp932';
import { textSearch } from '../../worker/core/text-search';
import { DAY_MS } from '../../worker/core/types';
import { createDb } from '../../worker/db/client';
import { pageSql, planList, readPage } from '../../worker/services/admin/member-list';
import type { MemberFilters } from '../../worker/schema/members';
import { api } from './admin-helpers';
import { SERVER, call, count, loadDemo, signIn, vid } from './helpers';

async function importCsv(bytes: Uint8Array): Promise<any> {
  const res = await exports.default.fetch(
    new Request('http://edge.test/api/members/import', {
      method: 'POST',
      headers: { authorization: 'Bearer dev-admin-token', 'content-type': 'text/csv' },
      body: bytes as BodyInit,
    }),
  );
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(200);
  return body;
}

/** Every id of a search, paging with `limit` (asserts each page's size). */
async function search(params: Record<string, string>, limit = 50): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const qs = new URLSearchParams({ ...params, limit: String(limit), ...(cursor ? { cursor } : {}) });
    const res = await api('GET', `/members?${qs}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    ids.push(...res.body.items.map((i: { id: string }) => i.id));
    cursor = res.body.nextCursor;
    pages++;
  } while (cursor && pages < 100);
  return ids;
}

const q = (text: string) => search({ q: text });

/** What the search index holds about a member: its text row and what the FTS index answers. */
async function indexed(memberId: string): Promise<{ body: string | null }> {
  const row = await env.DB.prepare('SELECT body FROM member_search WHERE member_id = ?').bind(memberId).first<{ body: string }>();
  return { body: row?.body ?? null };
}

/** Rows the trigram index holds every trigram of `text` for (what a search starts from). */
async function ftsHits(text: string): Promise<number> {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM member_search_fts WHERE member_search_fts MATCH ?')
    .bind(textSearch(text)!.match)
    .first<{ n: number }>();
  return row!.n;
}

beforeAll(async () => {
  await loadDemo();
  // Shift_JIS, as Excel writes it: full-width digits and letters, half-width kana, ㈱.
  const file = [
    '会員ID,会社名,業種,部署,地域,メールアドレス',
    'srch-001,株式会社サンプル１２３４,ＩＴ,営業部,東京都,taro@Example.co.jp',
    'srch-002,㈱テスト製作所,製造,ｿﾘｭｰｼｮﾝ営業,大阪府,hanako@test.example',
    'srch-003,Acme SaaS Inc.,SaaS,Marketing,東京都,',
    'srch-004,京都精密,製造,開発,京都府,',
  ].join('\r\n');
  const report = await importCsv(createCp932Encoder().encode(file));
  expect(report.created).toBe(4);
});

describe('text search after import', () => {
  it('finds members by id prefix (exact case)', async () => {
    expect(await q('srch-00')).toEqual(expect.arrayContaining(['srch-001', 'srch-002', 'srch-003', 'srch-004']));
    expect(await q('srch-003')).toEqual(['srch-003']);
    expect(await q('SRCH-003')).toEqual([]);
  });

  it('finds Japanese text inside values, as normalized on import', async () => {
    expect(await q('サンプル1234')).toEqual(['srch-001']);
    expect(await q('(株)テスト')).toEqual(['srch-002']);
    expect(await q('ソリューション')).toEqual(['srch-002']);
    expect((await q('製作所')).sort()).toEqual(['srch-002']);
  });

  it('finds ASCII text case-insensitively', async () => {
    expect(await q('acme saas')).toEqual(['srch-003']);
    expect(await q('EXAMPLE.CO')).toEqual(['srch-001']);
  });

  it('normalizes the query (full-width, half-width kana, ㈱) with NFKC', async () => {
    expect(await q('ＡＣＭＥ')).toEqual(['srch-003']);
    expect(await q('ｻﾝﾌﾟﾙ１２３４')).toEqual(['srch-001']);
    expect(await q('㈱テスト')).toEqual(['srch-002']);
    expect(await q('  Acme  ')).toEqual(['srch-003']);
  });

  it('answers queries shorter than 3 characters (no trigram) exactly', async () => {
    expect((await q('東京')).sort()).toEqual(['srch-001', 'srch-003']);
    // 東京都 contains 京都 too: substring search, as documented.
    expect((await q('京都')).sort()).toEqual(['srch-001', 'srch-003', 'srch-004']);
    expect((await q('京都精')).sort()).toEqual(['srch-004']);
    expect((await q('製造')).sort()).toEqual(['srch-002', 'srch-004']);
    expect((await q('ＩＴ')).sort()).toEqual(['srch-001']);
    expect((await q('精')).sort()).toEqual(['srch-004']);
  });

  it('matches values, not attribute keys, and never across two values', async () => {
    // "company" is a key of every imported member; "営業部\n東京" would straddle two values.
    expect(await q('company')).toEqual([]);
    expect(await q('東京都\ntaro')).toEqual([]);
    expect(await ftsHits('営業部\n東京')).toBe(1); // the index does over-match: the re-check is what keeps it exact
    expect(await q('営業部')).toEqual(['srch-001']);
  });

  it('the import wrote the index rows (text values joined, numbers left out)', async () => {
    expect((await indexed('srch-001')).body?.split('\n').sort()).toEqual(
      ['株式会社サンプル1234', 'IT', '営業部', '東京都', 'taro@example.co.jp'].sort(),
    );
    expect(await ftsHits('サンプル')).toBe(1);
  });

  it('importing the same file again leaves the index as it was', async () => {
    const before = await count('member_search');
    const file = '会員ID,会社名\r\nsrch-004,京都精密\r\n';
    const report = await importCsv(new TextEncoder().encode(file));
    expect(report.unchanged).toBe(1);
    expect(await count('member_search')).toBe(before);
    expect(await ftsHits('京都精密')).toBe(1);
  });
});

describe('the index follows every trait write', () => {
  it('server traits: new text matches, replaced text no longer does', async () => {
    const put = (traits: Record<string, unknown>) =>
      call('PUT', '/v1/server/members/srch-upd', { traits }, { ...SERVER, 'content-type': 'application/json' });
    expect((await put({ company: 'Zephyrine Holdings', region: '北海道' })).status).toBe(200);
    expect(await q('zephyrine')).toEqual(['srch-upd']);
    expect(await q('北海')).toEqual(['srch-upd']);
    expect((await put({ company: 'Quillfeather KK' })).status).toBe(200);
    expect(await q('zephyrine')).toEqual([]);
    expect(await ftsHits('zephyrine')).toBe(0);
    expect(await q('quillfeather')).toEqual(['srch-upd']);
    // Attributes not sent are kept, and so is their text.
    expect(await q('北海')).toEqual(['srch-upd']);
  });

  it('identify with traits (a sign-in merges them into the member)', async () => {
    await signIn(vid('srch'), 'srch-idf', { company: 'Marigoldwerk GmbH', industry: '物流' });
    expect(await q('marigold')).toEqual(['srch-idf']);
    expect(await q('物流')).toEqual(['srch-idf']);
    await signIn(vid('srch'), 'srch-idf', { company: 'Larkspur Logistics' });
    expect(await q('marigold')).toEqual([]);
    expect(await q('larkspur')).toEqual(['srch-idf']);
    expect(await q('物流')).toEqual(['srch-idf']);
  });

  it('a member whose traits have no text has no index row; adding text adds one', async () => {
    await env.DB.prepare(`INSERT INTO members (id, traits) VALUES ('srch-num', '{"employees":120,"vip":true}')`).run();
    expect(await indexed('srch-num')).toEqual({ body: null });
    await env.DB.prepare(`UPDATE members SET traits = json_set(traits, '$.company', 'Nimbletoad') WHERE id = 'srch-num'`).run();
    expect(await q('nimbletoad')).toEqual(['srch-num']);
    await env.DB.prepare(`UPDATE members SET traits = '{"employees":5}' WHERE id = 'srch-num'`).run();
    expect(await indexed('srch-num')).toEqual({ body: null });
    expect(await ftsHits('nimbletoad')).toBe(0);
  });

  it('a profile write that leaves traits alone does not touch the index', async () => {
    const before = await env.DB.prepare(`SELECT id FROM member_search WHERE member_id = 'srch-003'`).first<{ id: number }>();
    await env.DB.prepare(`UPDATE members SET score = 42, last_active_at = ?1 WHERE id = 'srch-003'`).bind(Date.now()).run();
    await env.DB.prepare(`UPDATE members SET traits = traits WHERE id = 'srch-003'`).run();
    const after = await env.DB.prepare(`SELECT id FROM member_search WHERE member_id = 'srch-003'`).first<{ id: number }>();
    expect(after).toEqual(before);
  });

  it('erasure leaves nothing in the index', async () => {
    const put = await call(
      'PUT',
      '/v1/server/members/srch-erase',
      { traits: { company: 'Xylocarpa Unique Trading', region: '沖縄県' } },
      { ...SERVER, 'content-type': 'application/json' },
    );
    expect(put.status).toBe(200);
    expect(await q('xylocarpa')).toEqual(['srch-erase']);
    const { id: rowid } = (await env.DB.prepare(`SELECT id FROM member_search WHERE member_id = 'srch-erase'`).first<{ id: number }>())!;
    expect((await call('DELETE', '/v1/server/members/srch-erase', undefined, SERVER)).status).toBe(204);
    expect(await indexed('srch-erase')).toEqual({ body: null });
    expect(await ftsHits('xylocarpa')).toBe(0);
    expect(await q('xylocarpa')).toEqual([]);
    expect(await q('沖縄')).toEqual([]);
    // Secure-delete is on, so the trigrams were removed from the index itself, not masked by a
    // delete marker; its per-document size row is gone too.
    const secure = await env.DB.prepare(`SELECT v FROM member_search_fts_config WHERE k = 'secure-delete'`).first<{ v: number }>();
    expect(secure?.v).toBe(1);
    expect(await count('member_search_fts_docsize', 'id = ?', rowid)).toBe(0);
    for (const gram of ['xyl', 'ylo', 'arp', '沖縄県']) expect(await ftsHits(gram), gram).toBe(0);
  });

  it('the migration backfills members stored before it (same text as the triggers write)', async () => {
    const before = await env.DB.prepare('SELECT member_id, body FROM member_search ORDER BY member_id').all();
    const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith('0009_'))!;
    const backfill = migration.queries.find((s) => s.includes('INSERT INTO `member_search` (member_id'))!;
    expect(backfill).toBeDefined();
    await env.DB.batch([env.DB.prepare('DELETE FROM member_search'), env.DB.prepare(backfill)]);
    expect(await ftsHits('サンプル')).toBe(1);
    const after = await env.DB.prepare('SELECT member_id, body FROM member_search ORDER BY member_id').all();
    expect(after.results).toEqual(before.results);
    expect(after.results.length).toBeGreaterThan(5);
  });
});

describe('search combined with filters, sorts and paging', () => {
  const NOW = Date.now();
  const seeded: { id: string; company: string; score: number; last: number | null }[] = [];

  beforeAll(async () => {
    const words = ['Northwind 商事', 'Contoso 物産', 'ノースウインド 商事', 'Fabrikam'];
    for (let i = 0; i < 90; i++) {
      seeded.push({
        id: `pg-${String(i).padStart(3, '0')}`,
        company: `${words[i % words.length]} ${i}`,
        // Ties on score on purpose (the id breaks them); some never active.
        score: (i * 37) % 120,
        last: i % 9 === 0 ? null : NOW - ((i * 13) % 200) * DAY_MS,
      });
    }
    await env.DB.batch(
      seeded.map((m) =>
        env.DB.prepare('INSERT INTO members (id, traits, score, last_active_at) VALUES (?1, ?2, ?3, ?4)').bind(
          m.id,
          // A third are small companies: the demo's non_target segment (employees < 50).
          JSON.stringify({ company: m.company, employees: Number(m.id.slice(3)) % 3 === 0 ? 10 : 300 }),
          m.score,
          m.last,
        ),
      ),
    );
  });

  const current = (m: (typeof seeded)[number]) => (m.last === null ? m.score : Math.max(0, m.score - Math.floor((NOW - m.last) / DAY_MS)));

  function expected(text: string, opts: { sort?: 'lastActive'; minScore?: number } = {}): string[] {
    const s = textSearch(text)!;
    const rows = seeded.filter(
      (m) =>
        (m.id.startsWith(s.prefix) || m.company.replace(/[A-Z]/g, (c) => c.toLowerCase()).includes(s.needle)) &&
        (opts.minScore === undefined || current(m) >= opts.minScore),
    );
    if (opts.sort === 'lastActive') rows.sort((a, b) => (b.last ?? -1) - (a.last ?? -1) || (a.id < b.id ? 1 : -1));
    else rows.sort((a, b) => current(b) - current(a) || (a.id < b.id ? -1 : 1));
    return rows.map((m) => m.id);
  }

  it.each<[string, { sort?: 'lastActive'; minScore?: number }]>([
    ['northwind', {}],
    ['商事', {}],
    ['商事', { sort: 'lastActive' }],
    ['NORTHWIND', { minScore: 20 }],
    ['pg-0', { sort: 'lastActive' }],
    ['ﾉｰｽｳｲﾝﾄﾞ', { minScore: 5 }],
  ])('q=%s %o pages through exactly the matching members, in order', async (text, opts) => {
    const want = expected(text, opts);
    expect(want.length).toBeGreaterThan(4);
    const params: Record<string, string> = { q: text };
    if (opts.sort) params.sort = opts.sort;
    if (opts.minScore !== undefined) params.minScore = String(opts.minScore);
    expect(await search(params, 4)).toEqual(want);
  });

  it('a search with few candidates reads them by primary key; a common term walks the sort index', async () => {
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    const plans = async (filters: MemberFilters, cap?: number) => {
      const plan = await planList(ctx, filters, null, cap);
      const { sql, params } = pageSql(plan, null, 50);
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .bind(...params)
        .all<{ detail: string }>();
      return { plan, details: results.map((r) => r.detail).join(' | ') };
    };
    for (const filters of [{ q: 'northwind' }, { q: 'northwind', sort: 'lastActive' as const }, { q: '商事', tier: 'hot' as const }]) {
      const { plan, details } = await plans(filters);
      expect(plan.searched, JSON.stringify(filters)).toBe(true);
      expect(details, JSON.stringify(filters)).toMatch(/SEARCH members USING (INDEX sqlite_autoindex_members_1|PRIMARY KEY) \(id=\?\)/);
      expect(details, JSON.stringify(filters)).not.toMatch(/SCAN members\b/);
    }
    // More candidates than the cap: the list is read from the score index in order.
    const { plan, details } = await plans({ q: 'northwind' }, 3);
    expect(plan.searched).toBe(false);
    expect(details).toContain('members_score_active');
  });

  it.each<[string, { sort?: 'lastActive'; minScore?: number }]>([
    ['northwind', {}],
    ['商事', { sort: 'lastActive' }],
    ['pg-0', {}],
    ['fabrikam', { minScore: 10 }],
  ])('a common term (more candidates than the cap), q=%s %o, pages through the same members', async (text, opts) => {
    const want = expected(text, opts);
    expect(want.length).toBeGreaterThan(4);
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    const plan = await planList(ctx, { q: text, ...opts }, null, 3);
    expect(plan.searched).toBe(false);
    expect(plan.windowCheck).not.toBeNull();
    // A window of 7 rows: pages come out short (a cursor resumes after the window), never wrong.
    for (const scanBudget of [undefined, 7]) {
      const ids: string[] = [];
      let cursor = null;
      let pages = 0;
      let short = 0;
      do {
        const page = await readPage(ctx, plan, cursor, { limit: 4, scanBudget });
        expect(page.items.length).toBeLessThanOrEqual(4);
        if (page.items.length < 4 && page.next) short++;
        ids.push(...page.items.map((i) => i.id));
        cursor = page.next;
        pages++;
      } while (cursor && pages < 200);
      expect(ids, String(scanBudget)).toEqual(want);
      if (scanBudget === undefined) expect(short).toBe(0);
    }
  });

  it('a common term with a window of a few rows makes short pages that resume', async () => {
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    const plan = await planList(ctx, { q: 'fabrikam' }, null, 3);
    let short = 0;
    let cursor = null;
    let pages = 0;
    do {
      const page = await readPage(ctx, plan, cursor, { limit: 4, scanBudget: 7 });
      if (page.items.length < 4 && page.next) short++;
      cursor = page.next;
      pages++;
    } while (cursor && pages < 200);
    expect(short).toBeGreaterThan(0);
  });

  it('a common term in a segment list is checked by the segment scan', async () => {
    const segment = 'non_target';
    const ctx = { d1: env.DB, db: createDb(env.DB), now: NOW };
    const plan = await planList(ctx, { q: 'northwind', segment }, null, 3);
    expect(plan.windowCheck).toBeNull();
    const page = await readPage(ctx, plan, null, { limit: 200 });
    expect(page.items.length).toBeGreaterThan(0);
    for (const item of page.items) {
      expect(String(item.traits.company).toLowerCase()).toContain('northwind');
      expect(item.segment).toBe(segment);
    }
    const all = await search({ q: 'northwind', segment });
    expect(all.sort()).toEqual(page.items.map((i) => i.id).sort());
  });

  it('the CSV export of a search holds the same members', async () => {
    const res = await call('GET', '/api/members.csv?q=contoso&encoding=utf-8', undefined, { authorization: 'Bearer dev-admin-token' });
    expect(res.status).toBe(200);
    const lines = (await res.text()).split('\r\n').filter((l) => l.startsWith('pg-'));
    expect(lines.map((l) => l.split(',')[0])).toEqual(expected('contoso'));
  });
});
