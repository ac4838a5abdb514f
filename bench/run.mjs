/**
 * @module
 * `npm run bench`: measures, through the real local edge (wrangler dev → workerd → local D1),
 * what the issues name, and prints markdown tables for the README:
 *   - /dw.js and the admin's initial download, min+gzip
 *   - D1 statements per request, per endpoint (counted by the worker, reported in Server-Timing)
 *   - decide and collect requests/s and p50/p99 next to the static /dw.js in the same run, with
 *     1, 10 and 50 segments and with batches of 1, 10 and 50 events
 *   - time inside the worker, and CPU time of the pure decision, demo vs 50 segments × 20 slots
 *   - trend conditions at 50 segments and propensity training at 100 000 members (bench/change.mjs)
 *   - the experiment results endpoint at 10k / 100k / 1M exposures
 *   - members at 100 000: CSV import, filtered list pages, exports (bench/members.mjs)
 *   - requests to the edge per page view in Chromium (/dw.js cached, one decide; bench/page-requests.mjs)
 *   - rewrite mode: first/last byte direct vs through the edge, memory by page size (bench/rewrite.mjs)
 *   - sales alerts: crossing request → the receiver has the signed alert, p50/p95 (bench/alerts.mjs)
 *   - storage off the response path: decide with an injected D1 round trip, queued vs inline,
 *     throughput next to /dw.js, write lag (bench/storage.mjs)
 *   - capacity of one D1: bytes per event, member, browser and exposure at 1 M events, and one
 *     retention pass through the cron (bench/capacity.mjs)
 * Benchmarks are measurements, never timed tests. BENCH_SECONDS (default 3) per load phase.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { demo } from '../db/seed/sql.mjs';
import { root, startLocalEdge, wranglerEnv } from '../scripts/local-edge.mjs';
import { GZIP_BUDGET, snippetSize } from '../snippet/size.mjs';
import { syntheticConfig, syntheticConfigSql } from './configs.mjs';
import { hammer, percentiles } from './load.mjs';
import { benchResults } from './results.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const ms = (n) => `${n.toFixed(1)} ms`;
const tables = [];
const table = (title, head) => {
  const t = { title, head, rows: [] };
  tables.push(t);
  return t;
};

// Sizes.
const sizes = table('Download size', ['asset', 'min+gzip', 'minified', 'budget']);
const snippet = snippetSize();
sizes.rows.push(['/dw.js', kb(snippet.gzip), kb(snippet.minified), kb(GZIP_BUDGET)]);
if (existsSync(path.join(root, 'admin/size.mjs'))) {
  const { adminInitialSize } = await import('../admin/size.mjs');
  const admin = adminInitialSize();
  sizes.rows.push([`admin initial (${admin.files.length} files)`, kb(admin.gzip), kb(admin.raw), '60 KB']);
}

// CPU time of the pure decision (Node), demo vs synthetic.
const coreBundle = path.join(os.tmpdir(), `dw-core-timing-${process.pid}.mjs`);
await build({
  entryPoints: [path.join(root, 'bench/core-timing.ts')],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile: coreBundle,
  logLevel: 'silent',
});
const { timeDecisions } = await import(pathToFileURL(coreBundle).href);
const base = {
  version: 'demo',
  scoring: demo.scoring,
  categories: demo.categories,
  segments: demo.segments,
  slots: demo.slots,
  variants: demo.variants,
  experiments: demo.experiments,
};
const cpu = table('Pure decision, CPU time per request (Node, apply events → segment → slots; 20 000 runs)', [
  'configuration',
  'p50',
  'p99',
]);
for (const [label, config, slots] of [
  ['demo (5 segments, 2 slots)', base, ['hero', 'cta']],
  ['50 segments × 20 slots', syntheticConfig({ segments: 50, slots: 20 }, base), Array.from({ length: 20 }, (_, j) => `slot${j}`)],
]) {
  timeDecisions(config, slots, 2000); // warm the JIT
  const t = timeDecisions(config, slots, 20000);
  cpu.rows.push([label, `${(t.p50 * 1000).toFixed(1)} µs`, `${(t.p99 * 1000).toFixed(1)} µs`]);
}
rmSync(coreBundle, { force: true });

// Conditions that see change: trends at 50 segments, a propensity model on 100 000 members (bench/change.mjs).
{
  const { benchChange } = await import('./change.mjs');
  for (const t of await benchChange()) table(t.title, t.head).rows.push(...t.rows);
}

// The real edge.
const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-'));
const edge = await startLocalEdge({ persistTo: dir });
const wrangler = path.join(root, 'node_modules/.bin/wrangler');
const loadConfig = (sql) => {
  const file = path.join(dir, 'config.sql');
  writeFileSync(file, sql);
  execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--file', file], {
    cwd: root,
    stdio: 'pipe',
    env: wranglerEnv(),
  });
};

let seq = 0;
const visitorId = (i) => `bench-visitor-${String(i % 5000).padStart(6, '0')}`;
const eventId = () => `bench-${process.pid}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const pageView = (category) => ({ id: eventId(), type: 'page_view', props: category ? { category } : {} });
const post = (p, body, headers = {}) =>
  fetch(`${edge.url}${p}`, { method: 'POST', headers: { 'content-type': 'text/plain', ...headers }, body: JSON.stringify(body) });

function serverTiming(res) {
  const h = res.headers.get('server-timing') ?? '';
  const m = /reads=(\d+) batches=(\d+) statements=(\d+)/.exec(h);
  return {
    dur: Number(/app;dur=([\d.]+)/.exec(h)?.[1] ?? NaN),
    reads: Number(m?.[1]),
    batches: Number(m?.[2]),
    statements: Number(m?.[3]),
  };
}
const usage = (u) => `${u.reads} read + ${u.batches} batch (${u.statements} statements)`;

async function inWorker(make, n = 200) {
  const durs = [];
  let last;
  for (let i = 0; i < n; i++) {
    const res = await make(i);
    await res.arrayBuffer();
    last = serverTiming(res);
    durs.push(last.dur);
  }
  return { ...percentiles(durs), usage: last };
}

const d1 = table('D1 statements per request (counted by the worker)', ['request', 'D1']);
const load = table(
  `Throughput through the local edge by configuration (${CONCURRENCY} concurrent clients, ${DURATION / 1000} s each, one after the other; a decide against /dw.js in interleaved rounds: "Decide throughput" below)`,
  ['request', 'configuration', 'req/s', 'p50', 'p99', '5xx'],
);
const inside = table('Time inside the worker (Server-Timing; includes the D1 round trips, workerd clocks tick at I/O)', [
  'configuration',
  'p50',
  'p99',
]);
const loadRow = (label, config, r) => load.rows.push([label, config, r.rps.toFixed(0), ms(r.p50), ms(r.p99), String(r.errors)]);
const staticLoad = () => hammer({ durationMs: DURATION, concurrency: CONCURRENCY, request: () => fetch(`${edge.url}/dw.js`) });

try {
  const slots2 = ['hero', 'cta'];
  for (let i = 0; i < 20; i++)
    await (await post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView()] })).arrayBuffer();

  loadRow('GET /dw.js (static)', '—', await staticLoad());

  const demoInside = await inWorker((i) =>
    post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView(i % 3 ? 'blog' : 'pricing')] }),
  );
  inside.rows.push(['demo (5 segments, 2 slots)', ms(demoInside.p50), ms(demoInside.p99)]);
  // The shipped path hands its writes to the writes queue (applied in one batch per visitor run by
  // the consumer, docs/storage.md); the inline path, one request with the local-dev header, writes
  // before answering.
  d1.rows.push(['POST /v1/decide (page view, writes queued)', usage(demoInside.usage)]);
  {
    const res = await post('/v1/decide', { visitorId: visitorId(4998), slots: slots2, events: [pageView()] }, { 'x-dw-writes': 'inline' });
    await res.arrayBuffer();
    d1.rows.push(['POST /v1/decide (page view, inline)', usage(serverTiming(res))]);
  }
  {
    const v = visitorId(4999);
    await (await post('/v1/decide', { visitorId: v, slots: slots2, events: [pageView()] })).arrayBuffer();
    const res = await post('/v1/decide', { visitorId: v, slots: slots2, events: [] });
    await res.arrayBuffer();
    d1.rows.push(['POST /v1/decide (no new events)', usage(serverTiming(res))]);
  }
  for (const size of [1, 10, 50]) {
    const res = await post('/v1/collect', { visitorId: visitorId(size), events: Array.from({ length: size }, () => pageView()) });
    await res.arrayBuffer();
    d1.rows.push([`POST /v1/collect (${size} event${size > 1 ? 's' : ''})`, usage(serverTiming(res))]);
  }
  {
    const token = await (await fetch(`${edge.url}/demo/api/token?as=saas`)).json();
    const res = await post('/v1/identify', { visitorId: visitorId(4998), token: token.token });
    await res.arrayBuffer();
    d1.rows.push(['POST /v1/identify', usage(serverTiming(res))]);
    const srv = await fetch(`${edge.url}/v1/server/collect`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' },
      body: JSON.stringify({
        memberId: 'bench-member',
        events: Array.from({ length: 10 }, () => ({ ...pageView(), type: 'email_open', props: { campaign: 'bench' } })),
      }),
    });
    await srv.arrayBuffer();
    d1.rows.push(['POST /v1/server/collect (10 events)', usage(serverTiming(srv))]);
  }
  for (const [label, p] of [
    ['GET /api/visitors/:id', `/api/visitors/${visitorId(1)}`],
    ['GET /api/experiments/:id/results', '/api/experiments/exp_consideration_hero/results'],
  ]) {
    const res = await fetch(`${edge.url}${p}`, { headers: { authorization: 'Bearer dev-admin-token' } });
    await res.arrayBuffer();
    d1.rows.push([label, usage(serverTiming(res))]);
  }

  loadRow(
    'POST /v1/decide',
    'demo (5 segments)',
    await hammer({
      durationMs: DURATION,
      concurrency: CONCURRENCY,
      request: (i) => post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView()] }),
    }),
  );
  for (const size of [1, 10, 50]) {
    loadRow(
      `POST /v1/collect, ${size} event${size > 1 ? 's' : ''}`,
      'demo',
      await hammer({
        durationMs: DURATION,
        concurrency: CONCURRENCY,
        request: (i) => post('/v1/collect', { visitorId: visitorId(i + 100), events: Array.from({ length: size }, () => pageView()) }),
      }),
    );
  }

  for (const [segments, slots] of [
    [1, 2],
    [10, 2],
    [50, 2],
    [50, 20],
  ]) {
    loadConfig(syntheticConfigSql({ segments, slots }));
    const names = Array.from({ length: slots }, (_, j) => `slot${j}`);
    await (await post('/v1/decide', { visitorId: visitorId(1), slots: names, events: [] })).arrayBuffer(); // reload config once
    const label = `${segments} segment${segments > 1 ? 's' : ''} × ${slots} slots`;
    if (slots === 20 || segments === 50) {
      const t = await inWorker((i) => post('/v1/decide', { visitorId: visitorId(i + 7), slots: names, events: [pageView()] }));
      inside.rows.push([label, ms(t.p50), ms(t.p99)]);
      d1.rows.push([`POST /v1/decide (${label})`, usage(t.usage)]);
    }
    loadRow(
      'POST /v1/decide',
      label,
      await hammer({
        durationMs: DURATION,
        concurrency: CONCURRENCY,
        request: (i) => post('/v1/decide', { visitorId: visitorId(i + 200), slots: names, events: [pageView()] }),
      }),
    );
  }
  loadRow('GET /dw.js (static)', '— (again, end of run)', await staticLoad());
} finally {
  await edge.stop();
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.BENCH_SKIP_PAGES !== '1') {
  const { benchPageRequests } = await import('./page-requests.mjs');
  const t = await benchPageRequests();
  table(t.title, t.head).rows.push(...t.rows);
}

if (process.env.BENCH_SKIP_RESULTS !== '1') {
  const results = table('GET /api/experiments/:id/results (median of 11 after warm-up)', [
    'exposures',
    'conversions',
    'median',
    'p95',
    'in worker',
  ]);
  for (const r of await benchResults()) {
    results.rows.push([
      r.exposures.toLocaleString('en'),
      r.conversions.toLocaleString('en'),
      `${r.medianMs} ms`,
      `${r.p95Ms} ms`,
      `${r.serverMedianMs} ms`,
    ]);
  }
}

if (process.env.BENCH_SKIP_STORAGE !== '1') {
  const { benchStorage } = await import('./storage.mjs');
  for (const t of await benchStorage()) table(t.title, t.head).rows.push(...t.rows);
}

if (process.env.BENCH_SKIP_CAPACITY !== '1') {
  const { benchCapacity, capacityTables } = await import('./capacity.mjs');
  for (const t of capacityTables(await benchCapacity())) table(t.title, t.head).rows.push(...t.rows);
}

if (process.env.BENCH_SKIP_MEMBERS !== '1') {
  const { benchMembers, memberTables } = await import('./members.mjs');
  for (const t of memberTables(await benchMembers())) table(t.title, t.head).rows.push(...t.rows);
}

if (process.env.BENCH_SKIP_ALERTS !== '1') {
  const { benchAlerts, alertTable } = await import('./alerts.mjs');
  const t = alertTable(await benchAlerts());
  table(t.title, t.head).rows.push(...t.rows);
}

if (process.env.BENCH_SKIP_REWRITE !== '1') {
  const { benchRewrite } = await import('./rewrite.mjs');
  for (const t of await benchRewrite()) table(t.title, t.head).rows.push(...t.rows);
}

for (const t of tables) {
  console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
  for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
}
console.log(
  `\n_${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores × ${os.cpus()[0]?.model ?? 'cpu'}, \`npm run bench\`_`,
);
