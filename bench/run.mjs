/**
 * @module
 * `npm run bench`: measures, through the real local edge (wrangler dev → workerd → local D1),
 * what the issues name, and prints a markdown table for the README.
 *   - /dw.js size (min+gzip) and the admin's initial download
 *   - D1 statements per request (counted by the worker, reported in Server-Timing)
 *   - decide time inside the worker (p50/p99), demo config and synthetic configs
 *   - requests per second for decide, collect and the static /dw.js, in the same run
 * Benchmarks are measurements, never timed tests.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root, startLocalEdge } from '../scripts/local-edge.mjs';
import { snippetSize } from '../snippet/size.mjs';
import { syntheticConfigSql } from './configs.mjs';
import { hammer, percentiles } from './load.mjs';

const DURATION = Number(process.env.BENCH_SECONDS ?? 4) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const rows = [];
const row = (what, value, note = '') => rows.push({ what, value, note });
const kb = (n) => `${(n / 1024).toFixed(2)} KB`;
const ms = (n) => `${n.toFixed(2)} ms`;

const snippet = snippetSize();
row('/dw.js size', `${kb(snippet.gzip)} gzip`, `${kb(snippet.minified)} minified; budget 2.5 KB`);
if (existsSync(path.join(root, 'admin/size.mjs'))) {
  const { adminSize } = await import('../admin/size.mjs');
  const admin = await adminSize();
  row('admin initial download', `${kb(admin.gzip)} gzip`, `${kb(admin.minified)} minified; budget 60 KB`);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-'));
const edge = await startLocalEdge({ persistTo: dir });
const wrangler = path.join(root, 'node_modules/.bin/wrangler');
const loadConfig = (sql) => {
  const file = path.join(dir, 'config.sql');
  writeFileSync(file, sql);
  execFileSync(wrangler, ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--file', file], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true' },
  });
};

let seq = 0;
const visitorId = (i) => `bench-visitor-${String(i % 5000).padStart(6, '0')}`;
const eventId = () => `bench-${process.pid}-${(seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const pageView = (category) => ({ id: eventId(), type: 'page_view', props: category ? { category } : {} });
const post = (p, body) => fetch(`${edge.url}${p}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });

function serverTiming(res) {
  const h = res.headers.get('server-timing') ?? '';
  const dur = Number(/app;dur=([\d.]+)/.exec(h)?.[1] ?? NaN);
  const m = /reads=(\d+) batches=(\d+) statements=(\d+)/.exec(h);
  return { dur, reads: Number(m?.[1]), batches: Number(m?.[2]), statements: Number(m?.[3]) };
}

/** Sequential requests for timing inside the worker (no queueing noise). */
async function inWorker(label, make, n = 300) {
  const durs = [];
  let usage;
  for (let i = 0; i < n; i++) {
    const res = await make(i);
    await res.arrayBuffer();
    const t = serverTiming(res);
    durs.push(t.dur);
    usage = t;
  }
  const p = percentiles(durs);
  row(`${label}: time in worker`, `p50 ${ms(p.p50)} · p99 ${ms(p.p99)}`, `${n} sequential requests`);
  return usage;
}

try {
  const slots2 = ['hero', 'cta'];
  // Warm the isolate (config cached) before counting.
  for (let i = 0; i < 20; i++) await (await post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView()] })).arrayBuffer();

  const decideUsage = await inWorker('decide, demo config (5 segments, 2 slots)', (i) =>
    post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView(i % 3 ? 'blog' : 'pricing')] }),
  );
  row('D1 per decide', `${decideUsage.reads} read + ${decideUsage.batches} batch (${decideUsage.statements} statements)`, 'counted by the worker');
  for (const size of [1, 10, 50]) {
    const res = await post('/v1/collect', { visitorId: visitorId(size), events: Array.from({ length: size }, () => pageView()) });
    const u = serverTiming(res);
    await res.arrayBuffer();
    row(`D1 per collect (${size} events)`, `${u.reads} read + ${u.batches} batch (${u.statements} statements)`, '');
  }
  {
    const res = await fetch(`${edge.url}/api/visitors/${visitorId(1)}`, { headers: { authorization: 'Bearer dev-admin-token' } });
    const u = serverTiming(res);
    await res.arrayBuffer();
    row('D1 per visitor lookup', `${u.reads} read + ${u.batches} batch`, '');
  }

  // Throughput in the same run: decide, collect and the static snippet.
  const decideLoad = await hammer({
    durationMs: DURATION,
    concurrency: CONCURRENCY,
    request: (i) => post('/v1/decide', { visitorId: visitorId(i), slots: slots2, events: [pageView()] }),
  });
  const collectLoad = await hammer({
    durationMs: DURATION,
    concurrency: CONCURRENCY,
    request: (i) => post('/v1/collect', { visitorId: visitorId(i), events: [pageView(), pageView('pricing')] }),
  });
  const staticLoad = await hammer({ durationMs: DURATION, concurrency: CONCURRENCY, request: () => fetch(`${edge.url}/dw.js`) });
  for (const [label, r] of [
    ['decide', decideLoad],
    ['collect (2 events)', collectLoad],
    ['/dw.js (static)', staticLoad],
  ]) {
    row(`${label}: throughput`, `${r.rps.toFixed(0)} req/s`, `p50 ${ms(r.p50)} · p99 ${ms(r.p99)} · ${r.errors} errors · ${CONCURRENCY} concurrent`);
  }
  row('decide vs /dw.js', `${((decideLoad.rps / staticLoad.rps) * 100).toFixed(0)} %`, 'decide req/s as a share of static req/s');

  for (const [segments, slots] of [
    [1, 2],
    [10, 2],
    [50, 2],
    [50, 20],
  ]) {
    loadConfig(syntheticConfigSql({ segments, slots }));
    const names = Array.from({ length: slots }, (_, j) => `slot${j}`);
    await (await post('/v1/decide', { visitorId: visitorId(1), slots: names, events: [] })).arrayBuffer(); // reload config once
    const u = await inWorker(`decide, ${segments} segments × ${slots} slots`, (i) =>
      post('/v1/decide', { visitorId: visitorId(i + 7), slots: names, events: [pageView()] }),
    );
    row(`D1 per decide (${segments} segments × ${slots} slots)`, `${u.reads} read + ${u.batches} batch`, '');
  }
} finally {
  await edge.stop();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n| measure | value | note |\n|---|---|---|`);
for (const r of rows) console.log(`| ${r.what} | ${r.value} | ${r.note} |`);
console.log(`\n(node ${process.version}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}; \`npm run bench\`)`);
