/**
 * @module
 * Members at 100 000, through the real local edge (wrangler dev → workerd → local D1):
 *   - `POST /api/members/import` of a 100 000-row CSV (UTF-8 with BOM, Japanese headers and
 *     values, full-width digits and employee ranges), then the same file again (all unchanged);
 *   - `GET /api/members` pages with the console's filters once every member has a score and a
 *     last activity (set in SQL, spread over 300 days, 10 % never active), first page and the
 *     page after it (cursor), p50 / p95 of sequential requests;
 *   - `GET /api/members.csv` of all 100 000 in UTF-8 and Shift_JIS, and `GET /api/traits/quality`.
 *
 *   node bench/members.mjs            # prints the tables
 *   import { benchMembers } from './bench/members.mjs'   # rows for bench/run.mjs
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY_MS = 86_400_000;
const HEADERS = { authorization: 'Bearer dev-admin-token' };
const INDUSTRIES = ['ＩＴ', 'SaaS', '製造業', '金融', '', '小売'];
const SIZES = ['１２０名', '50〜99名', '30', '"1,000名以上"', '', '5000'];

function useProjectNode() {
  const bin = path.join(root, 'node_modules', '.bin');
  if (!(process.env.PATH ?? '').split(path.delimiter).includes(bin)) process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}

/** The file a marketer would export from a CRM: 100 000 rows, ~8 MB. */
export function memberCsv(rows) {
  const lines = ['会員ID,会社名,業種,従業員数,地域,メールアドレス'];
  for (let i = 0; i < rows; i++) {
    lines.push(
      `bm-${i},株式会社サンプル${i},${INDUSTRIES[Math.floor(i / 7) % 6]},${SIZES[Math.floor(i / 11) % 6]},${['関東', '近畿', '九州', '東海'][i % 4]},user${i}@example.co.jp`,
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/**
 * Scores and last activities for every member (deterministic in the rowid), and a small
 * behaviour profile, so segments and tiers have something to find.
 */
export function activitySql(now) {
  const last = `(${now} - ((rowid * 104729) % (300 * 1440)) * 60000)`;
  const day = `CAST(${last} / ${DAY_MS} AS INTEGER)`;
  return `UPDATE members SET
    score = CASE WHEN rowid % 10 = 0 THEN 0 ELSE (rowid * 7919) % 170 END,
    last_active_at = CASE WHEN rowid % 10 = 0 THEN NULL ELSE ${last} END,
    profile = CASE WHEN rowid % 10 = 0 THEN NULL ELSE json_object(
      'score', (rowid * 7919) % 170, 'lastActiveAt', ${last}, 'visitStartedAt', ${last}, 'prevActiveAt', ${last} - 40 * ${DAY_MS},
      'days', json_object(CAST(${day} AS TEXT), json_object('page_view', 2, 'page_view.category=pricing', rowid % 3, 'download', rowid % 2,
        'download.kind=case_study', rowid % 2, 'page_view.category=blog', 1)),
      'totals', json_object('page_view', 5, 'download', rowid % 2, 'download.kind=case_study', rowid % 2),
      'caps', json('{}'), 'capsFrom', NULL, 'exposures', json('{}'), 'converted', json('[]')) END
    WHERE id LIKE 'bm-%';`;
}

function d1Execute(dir, sql) {
  const file = path.join(dir, 'bench-members.sql');
  writeFileSync(file, sql);
  execFileSync(path.join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--file', file], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
  });
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;

async function timed(make) {
  const t = performance.now();
  const res = await make();
  const body = new Uint8Array(await res.arrayBuffer());
  return { ms: performance.now() - t, res, bytes: body.byteLength, body };
}

/** p50 / p95 of `n` sequential GETs of the first page and of the page after it. */
async function timeList(base, query, n) {
  const first = [];
  const second = [];
  let items = 0;
  for (let i = 0; i < n; i++) {
    const a = await timed(() => fetch(`${base}/api/members?${query}&limit=50`, { headers: HEADERS }));
    if (!a.res.ok) throw new Error(`GET /api/members?${query} answered ${a.res.status}: ${new TextDecoder().decode(a.body)}`);
    first.push(a.ms);
    const body = JSON.parse(await (await fetch(`${base}/api/members?${query}&limit=50`, { headers: HEADERS })).text());
    items = body.items.length;
    if (body.nextCursor) {
      const b = await timed(() => fetch(`${base}/api/members?${query}&limit=50&cursor=${body.nextCursor}`, { headers: HEADERS }));
      second.push(b.ms);
    }
  }
  first.sort((x, y) => x - y);
  second.sort((x, y) => x - y);
  return {
    items,
    p50: round(quantile(first, 0.5)),
    p95: round(quantile(first, 0.95)),
    nextP50: second.length ? round(quantile(second, 0.5)) : null,
    nextP95: second.length ? round(quantile(second, 0.95)) : null,
  };
}

export const LIST_QUERIES = [
  ['every member, by score', 'sort=score'],
  ['every member, by last activity', 'sort=lastActive'],
  ["today's hot leads (tier=hot, active within 1 day)", 'tier=hot&activeWithinDays=1'],
  ['dormant targets (inactive ≥ 90 days, by last activity)', 'inactiveForDays=90&sort=lastActive'],
  ['tier=warm, score ≥ 50', 'tier=warm&minScore=50'],
  ['segment=dormant', 'segment=dormant'],
  ['segment=hot_lead', 'segment=hot_lead'],
  ['segment=non_target, by last activity', 'segment=non_target&sort=lastActive'],
  // Text search: the trigram index finds the few (first two), a 2-character query scans the
  // narrow text table, and a term every member has reads every candidate (the worst case).
  ['text search, 11 hits (q=サンプル1234)', `q=${encodeURIComponent('サンプル1234')}`],
  ['text search, 11 hits, by last activity', `q=${encodeURIComponent('サンプル1234')}&sort=lastActive`],
  ['text search + hot tier (q=サンプル12)', `q=${encodeURIComponent('サンプル12')}&tier=hot`],
  ['text search, member id prefix (q=bm-4321)', 'q=bm-4321'],
  ['text search, 2 characters (q=九州, 25 000 hits)', `q=${encodeURIComponent('九州')}`],
  ['text search, every member (q=example.co.jp)', 'q=example.co.jp'],
];

/**
 * @param {{ rows?: number, requests?: number }} [options]
 */
export async function benchMembers({ rows = 100_000, requests = 20 } = {}) {
  useProjectNode();
  const { startLocalEdge } = await import('../scripts/local-edge.mjs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-members-'));
  let edge = await startLocalEdge({ persistTo: dir });
  const out = { rows, import: [], list: [], files: [] };
  try {
    const csv = new TextEncoder().encode(memberCsv(rows));
    for (const label of ['first import (all created)', 'same file again (all unchanged)']) {
      const t = performance.now();
      const res = await fetch(`${edge.url}/api/members/import`, {
        method: 'POST',
        headers: { ...HEADERS, 'content-type': 'text/csv' },
        body: csv,
      });
      const body = await res.json();
      if (!res.ok) throw new Error(`import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
      out.import.push({
        label,
        seconds: round((performance.now() - t) / 1000),
        mb: round(csv.byteLength / 1024 / 1024),
        created: body.created,
        updated: body.updated,
        unchanged: body.unchanged,
      });
    }
    // One writer at a time: a second process (wrangler d1 execute) rewriting 100 000 rows under a
    // running workerd that holds the same SQLite file can leave it answering with a closed socket.
    await edge.stop();
    d1Execute(dir, activitySql(Date.now()));
    edge = await startLocalEdge({ persistTo: dir, prepared: true });
    await (await fetch(`${edge.url}/api/members?limit=1`, { headers: HEADERS })).arrayBuffer();
    for (const [label, query] of LIST_QUERIES) out.list.push({ label, query, ...(await timeList(edge.url, query, requests)) });
    for (const [label, p] of [
      ['GET /api/members.csv (UTF-8, all members)', '/api/members.csv'],
      ['GET /api/members.csv?encoding=shift_jis (all members)', '/api/members.csv?encoding=shift_jis'],
      ['GET /api/members.csv?tier=hot', '/api/members.csv?tier=hot'],
      ['GET /api/traits/quality', '/api/traits/quality'],
    ]) {
      const r = await timed(() => fetch(`${edge.url}${p}`, { headers: HEADERS }));
      if (!r.res.ok) throw new Error(`${p} answered ${r.res.status}`);
      out.files.push({ label, seconds: round(r.ms / 1000), mb: round(r.bytes / 1024 / 1024) });
    }
  } catch (err) {
    // What the worker said is the useful part of a failure here.
    await new Promise((r) => setTimeout(r, 1000));
    console.error(edge.output?.().slice(-4000));
    throw err;
  } finally {
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Markdown tables of a run. */
export function memberTables(m) {
  return [
    {
      title: `POST /api/members/import, ${m.rows.toLocaleString('en')} rows (goal ≤ 60 s)`,
      head: ['run', 'file', 'time', 'created', 'updated', 'unchanged'],
      rows: m.import.map((r) => [r.label, `${r.mb} MB`, `${r.seconds} s`, String(r.created), String(r.updated), String(r.unchanged)]),
    },
    {
      title: `GET /api/members at ${m.rows.toLocaleString('en')} members, limit 50 (goal p95 ≤ 300 ms; sequential, loopback)`,
      head: ['list', 'items', 'p50', 'p95', 'next page p50', 'next page p95'],
      rows: m.list.map((r) => [
        r.label,
        String(r.items),
        `${r.p50} ms`,
        `${r.p95} ms`,
        r.nextP50 === null ? '—' : `${r.nextP50} ms`,
        r.nextP95 === null ? '—' : `${r.nextP95} ms`,
      ]),
    },
    {
      title: `Member files at ${m.rows.toLocaleString('en')} members`,
      head: ['request', 'time', 'size'],
      rows: m.files.map((r) => [r.label, `${r.seconds} s`, `${r.mb} MB`]),
    },
  ];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const m = await benchMembers({ rows: Number(process.env.BENCH_MEMBERS ?? 100_000) });
  for (const t of memberTables(m)) {
    console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
    for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  }
}
