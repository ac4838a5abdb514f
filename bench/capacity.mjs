/**
 * @module
 * Capacity of one D1 database, measured on the real local D1 (the worker's migrations, the demo
 * configuration) and the real worker's retention:
 *   - loads 1 000 000 events spread over 450 days, with members, anonymous browsers, exposures
 *     and conversions in a B2B site's ratio, straight into the local D1's SQLite file with the
 *     rows the worker writes (same tables, indexes, JSON columns);
 *   - measures bytes per row from SQLite's page statistics (dbstat: the table and its indexes);
 *   - starts `wrangler dev --test-scheduled` on that database and fires the cron until the
 *     retention job reports nothing older than its cut (the events of the oldest ~50 days go);
 *   - measures again.
 *
 *   node bench/capacity.mjs                       # prints the tables (after npm run build)
 *   import { benchCapacity } from './bench/capacity.mjs'   # rows for bench/run.mjs
 *
 * CAPACITY_EVENTS overrides the number of events (default 1 000 000).
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { demoSeedSql } from '../db/seed/sql.mjs';
import { freePort, prepareDatabase, wranglerEnv } from '../scripts/local-edge.mjs';
import { seededRandom } from '../worker/core/random.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DAY_MS = 86_400_000;
const SPAN_DAYS = 450;
const GB = 1e9;

const CATEGORIES = ['pricing', 'case_study', 'product', 'blog', 'news', 'careers', 'support'];

/** A profile as the worker stores it: day buckets for the active days in the window, totals, cap ledgers. */
function profileJson(r, now, activeDays, score) {
  const today = Math.floor(now / DAY_MS);
  const days = {};
  const caps = {};
  const totals = {};
  for (let k = 0; k < activeDays; k++) {
    const day = String(today - Math.floor(r() * 90));
    const views = 1 + Math.floor(r() * 6);
    const category = CATEGORIES[Math.floor(r() * CATEGORIES.length)];
    days[day] = { page_view: views, [`page_view.category=${category}`]: views };
    caps[day] = { [`view_${category}`]: views * 2 };
    totals.page_view = (totals.page_view ?? 0) + views;
    totals[`page_view.category=${category}`] = (totals[`page_view.category=${category}`] ?? 0) + views;
  }
  const last = now - Math.floor(r() * 30 * DAY_MS);
  return JSON.stringify({
    score,
    lastActiveAt: last,
    visitStartedAt: last - 600_000,
    prevActiveAt: last - 5 * DAY_MS,
    days,
    totals,
    caps,
    capsFrom: today - 89,
    exposures: {},
    converted: [],
    zone: 'Asia/Tokyo',
  });
}

function sqliteFile(dir) {
  const d1 = path.join(dir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const file = readdirSync(d1).find((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (!file) throw new Error(`no local D1 file in ${d1}`);
  return path.join(d1, file);
}

/** Bytes used per table (its rows and its indexes, from dbstat) and rows per table. */
function measure(db, tables) {
  const owner = new Map(
    db
      .prepare(`SELECT name, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')`)
      .all()
      .map((r) => [r.name, r.tbl_name]),
  );
  const bytes = new Map();
  for (const r of db.prepare('SELECT name, SUM(pgsize) AS size FROM dbstat GROUP BY name').all()) {
    const t = owner.get(r.name) ?? r.name;
    bytes.set(t, (bytes.get(t) ?? 0) + r.size);
  }
  const out = {};
  for (const t of tables) out[t] = { rows: db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get().n, bytes: bytes.get(t) ?? 0 };
  const { page_size } = db.prepare('PRAGMA page_size').get();
  const { page_count } = db.prepare('PRAGMA page_count').get();
  const { freelist_count } = db.prepare('PRAGMA freelist_count').get();
  return { tables: out, used: (page_count - freelist_count) * page_size, file: page_count * page_size, free: freelist_count * page_size };
}

/** Loads the rows, in the worker's shapes. */
function load(db, { events, now }) {
  const r = seededRandom(7);
  const members = Math.round(events / 50);
  const anonymous = Math.round(events / 7);
  const exposures = Math.round(events / 20);
  const conversions = Math.round(exposures / 20);
  const insertMember = db.prepare(
    'INSERT INTO members (id, traits, profile, score, last_active_at, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertVisitor = db.prepare(
    'INSERT INTO visitors (id, member_id, profile, score, last_active_at, version, retired_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO events (subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertExposure = db.prepare(
    'INSERT OR IGNORE INTO exposures (experiment_id, visitor_id, member_id, arm, segment, at, day) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertConversion = db.prepare(
    'INSERT OR IGNORE INTO conversions (experiment_id, visitor_id, member_id, arm, event_id, at, day, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const vid = (i) => `v${i.toString(36).padStart(8, '0')}-${'x'.repeat(11)}`;
  const uuid = () => crypto.randomUUID();
  db.exec('BEGIN');
  for (let i = 0; i < members; i++) {
    const score = Math.round(r() * 120 * 10) / 10;
    const traits = JSON.stringify({
      company: `株式会社サンプル${i}`,
      industry: ['SaaS', 'IT', '製造業', '金融'][i % 4],
      employees: 20 + (i % 2000),
      email: `user${i}@example.co.jp`,
    });
    insertMember.run(
      `member-${i}`,
      traits,
      profileJson(r, now, 12, score),
      score,
      now - Math.floor(r() * 60 * DAY_MS),
      uuid(),
      now - 400 * DAY_MS,
      now,
    );
    // Each member's current browser (signed in), and the one identify retired.
    insertVisitor.run(vid(anonymous + 2 * i), `member-${i}`, null, 0, null, uuid(), null, now - 100 * DAY_MS, now);
    insertVisitor.run(vid(anonymous + 2 * i + 1), `member-${i}`, null, 0, null, uuid(), now - 100 * DAY_MS, now - 200 * DAY_MS, now);
  }
  for (let i = 0; i < anonymous; i++) {
    const score = Math.round(r() * 30 * 10) / 10;
    insertVisitor.run(
      vid(i),
      null,
      profileJson(r, now, 2, score),
      score,
      now - Math.floor(r() * 90 * DAY_MS),
      uuid(),
      null,
      now - 300 * DAY_MS,
      now,
    );
  }
  for (let i = 0; i < events; i++) {
    const at = now - Math.floor((i / events) * SPAN_DAYS * DAY_MS) - Math.floor(r() * 60_000);
    // A third of the events are members' (their browser after sign-in, or the server API).
    const m = r() < 0.3 ? Math.floor(r() * members) : -1;
    const visitor = m >= 0 ? vid(anonymous + 2 * m) : vid(Math.floor(r() * anonymous));
    const member = m >= 0 ? `member-${m}` : null;
    const pick = r();
    const category = CATEGORIES[Math.floor(r() * CATEGORIES.length)];
    let type = 'page_view';
    let url = `https://www.example.co.jp/${category}/${Math.floor(r() * 400)}`;
    let props = JSON.stringify({ category });
    if (pick > 0.88) {
      type = 'download';
      url = null;
      props = JSON.stringify({ asset: `/files/${category}-${Math.floor(r() * 40)}.pdf`, kind: r() < 0.5 ? 'whitepaper' : 'case_study' });
    } else if (pick > 0.86) {
      type = 'form_inquiry';
      url = null;
      props = JSON.stringify({ form: 'contact' });
    }
    const points = type === 'page_view' ? (category === 'pricing' ? 5 : 1) : 10;
    const breakdown = JSON.stringify([{ ruleId: `${type}_${category}`, points }]);
    insertEvent.run(
      member && r() < 0.2 ? `m:${member}` : `v:${visitor}`,
      uuid(),
      visitor,
      member,
      type,
      at,
      url,
      props,
      points,
      breakdown,
      Math.round(r() * 1000) / 10,
      at + 800,
    );
  }
  for (let i = 0; i < exposures; i++) {
    const at = now - Math.floor(r() * 120 * DAY_MS);
    const m = r() < 0.3 ? Math.floor(r() * members) : -1;
    insertExposure.run(
      `exp_${i % 4}`,
      m >= 0 ? vid(anonymous + 2 * m) : vid(i % anonymous),
      m >= 0 ? `member-${m}` : null,
      ['control', 'case_a', 'case_b'][i % 3],
      'consideration',
      at,
      Math.floor(at / DAY_MS),
    );
  }
  for (let i = 0; i < conversions; i++) {
    const at = now - Math.floor(r() * 100 * DAY_MS);
    insertConversion.run(
      `exp_${i % 4}`,
      vid(i % anonymous),
      null,
      ['control', 'case_a', 'case_b'][i % 3],
      uuid(),
      at,
      Math.floor(at / DAY_MS),
      null,
    );
  }
  // The segment count for the last days is done: the cron fired below does retention, not that.
  const siteDay = Math.floor((now + 9 * 3_600_000) / DAY_MS);
  for (const day of [siteDay - 2, siteDay - 1, siteDay])
    db.prepare(`INSERT OR REPLACE INTO segment_counts (day, status, started_at, finished_at) VALUES (?, 'done', ?, ?)`).run(day, now, now);
  db.exec('COMMIT');
  return { members, anonymous, exposures, conversions };
}

/** Fires the cron of a `wrangler dev --test-scheduled` until retention reports it is done. */
async function retainThroughCron(dir, file) {
  const port = await freePort();
  const child = spawn(
    path.join(root, 'node_modules', '.bin', 'wrangler'),
    ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', dir, '--test-scheduled', '--show-interactive-dev-session=false'],
    {
      cwd: root,
      env: wranglerEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  try {
    for (const until = Date.now() + 90_000; ; ) {
      if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {}
      if (Date.now() > until) throw new Error(`wrangler dev did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const started = performance.now();
    const runs = [];
    for (let i = 0; i < 40; i++) {
      await fetch(`${url}/__scheduled?cron=*+*+*+*+*`);
      // The cron's work runs in waitUntil: wait for the lease to be released with a new summary.
      let last = null;
      for (const until = Date.now() + 120_000; Date.now() < until; ) {
        await new Promise((r) => setTimeout(r, 500));
        try {
          const db = new DatabaseSync(file, { readOnly: true });
          const row = db.prepare('SELECT lease_until, last_run FROM retention_state WHERE id = 1').get();
          db.close();
          const summary = row?.last_run ? JSON.parse(row.last_run) : null;
          if (row && row.lease_until === 0 && summary && summary.at !== runs.at(-1)?.at) {
            last = summary;
            break;
          }
        } catch {}
      }
      if (!last) throw new Error(`no retention summary after the cron:\n${output.slice(-2000)}`);
      runs.push(last);
      if (last.error) throw new Error(`retention failed: ${last.error}`);
      if (last.done) break;
    }
    return { runs, seconds: (performance.now() - started) / 1000 };
  } finally {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {}
    await new Promise((r) => setTimeout(r, 1500));
  }
}

const TABLES = ['events', 'members', 'visitors', 'exposures', 'conversions', 'member_search', 'event_folds', 'segment_members'];

/**
 * @example const result = await benchCapacity(); capacityTables(result) // markdown-ready rows
 */
export async function benchCapacity({ events = Number(process.env.CAPACITY_EVENTS ?? 1_000_000) } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-capacity-'));
  try {
    const t0 = performance.now();
    // The worker's migrations through wrangler (this creates the local D1 file); the demo
    // configuration and the rows straight into that file.
    prepareDatabase(dir, { seed: false });
    const file = sqliteFile(dir);
    const now = Date.now();
    let db = new DatabaseSync(file);
    // Bulk load: a rollback journal, no fsync and a large cache, so pages are written once (the
    // bytes per row do not depend on how they were written). WAL again before wrangler opens it.
    db.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; PRAGMA cache_size = -400000;');
    db.exec(demoSeedSql());
    const t1 = performance.now();
    const counts = load(db, { events, now });
    const prepareSeconds = (t1 - t0) / 1000;
    const loadSeconds = (performance.now() - t1) / 1000;
    const before = measure(db, TABLES);
    db.exec('PRAGMA journal_mode = WAL;');
    db.close();
    const retention = await retainThroughCron(dir, file);
    db = new DatabaseSync(file);
    const after = measure(db, TABLES);
    db.close();
    return { events, counts, before, after, retention, prepareSeconds, loadSeconds, fileBytes: statSync(file).size };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const per = (t) => (t.rows ? `${Math.round(t.bytes / t.rows)} B` : '–');

/** Tables for bench/run.mjs and the docs. */
export function capacityTables(res) {
  const { before, after, retention } = res;
  const rows = TABLES.filter((t) => before.tables[t].rows || after.tables[t].rows).map((t) => [
    t,
    before.tables[t].rows.toLocaleString('en'),
    mb(before.tables[t].bytes),
    per(before.tables[t]),
    after.tables[t].rows.toLocaleString('en'),
    per(after.tables[t]),
  ]);
  const deleted = retention.runs.reduce((n, r) => n + r.deleted, 0);
  const event = before.tables.events.bytes / before.tables.events.rows;
  const member = (before.tables.members.bytes + before.tables.member_search.bytes) / before.tables.members.rows;
  const visitor = before.tables.visitors.bytes / before.tables.visitors.rows;
  const exposure = before.tables.exposures.bytes / before.tables.exposures.rows;
  // One 10 GB database, 400 days of events: what is left after 100 000 members (each with two
  // browser rows) and 1 000 000 anonymous browsers, at one exposure per 20 events.
  const fixed = 100_000 * (member + 2 * visitor) + 1_000_000 * visitor;
  const perDay = 400 * (event + exposure / 20);
  return [
    {
      title: `Capacity: bytes per row in the local D1 (${res.events.toLocaleString('en')} events over ${SPAN_DAYS} days, before and after one retention pass)`,
      head: ['table', 'rows', 'size (table + indexes)', 'per row', 'rows after', 'per row after'],
      rows,
    },
    {
      title: 'Capacity: one retention pass through the cron (wrangler dev --test-scheduled, default 400-day horizon)',
      head: ['events deleted', 'cron runs', 'chunks', 'seconds', 'used before', 'used after', 'free pages after', 'rows loaded in'],
      rows: [
        [
          deleted.toLocaleString('en'),
          String(retention.runs.length),
          String(retention.runs.reduce((n, r) => n + r.chunks, 0)),
          retention.seconds.toFixed(1),
          mb(before.used),
          mb(after.used),
          mb(after.free),
          `${res.loadSeconds.toFixed(1)} s`,
        ],
      ],
    },
    {
      title: 'Capacity: one 10 GB database with a 400-day horizon (from the bytes above)',
      head: ['assumption', 'daily events it holds'],
      rows: [
        [
          '100 000 members, 1 000 000 anonymous browsers, 1 exposure per 20 events',
          Math.floor((10 * GB - fixed) / perDay).toLocaleString('en'),
        ],
        ['events only', Math.floor((10 * GB) / (400 * event)).toLocaleString('en')],
      ],
    },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const res = await benchCapacity();
  for (const t of capacityTables(res)) {
    console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
    for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  }
}
