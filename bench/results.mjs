/**
 * @module
 * Results-page speed at scale: how long `GET /api/experiments/exp_consideration_hero/results`
 * takes through the real local edge (wrangler dev → workerd → local D1) when the experiment has
 * 10 k, 100 k and 1 M exposures (+ ~5 % conversions). The rows go straight into the local D1
 * with one `INSERT … SELECT` over a recursive CTE per size (the worker never sees them), so the
 * number measured is the results route alone: one batch of index-only GROUP BY aggregates and
 * the statistics.
 *
 *   node bench/results.mjs            # prints a table (Node ≥ 22 is taken from node_modules if needed)
 *   import { benchResults } from './bench/results.mjs'   # rows for bench/run.mjs
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EXPERIMENT = 'exp_consideration_hero';
const ARMS = ['control', 'case_a', 'case_b'];
/** Conversions per mille by arm: ~5 % overall, case_a a little better so the verdict has something to do. */
const PER_MILLE = { control: 48, case_a: 58, case_b: 46 };
const DAYS = 28;
const REQUESTS = 11;
const DAY_MS = 86_400_000;

/**
 * SQL adding exposures for visitors [from, to) spread evenly over the last 28 days, and a
 * conversion for a pseudo-random ~5 % of them (Knuth's multiplicative hash of the index, so
 * it is deterministic yet not periodic in the arm).
 */
export function bulkSql(from, to, today = Math.floor(Date.now() / DAY_MS)) {
  const seq = `WITH RECURSIVE seq(x) AS (SELECT ${from} UNION ALL SELECT x + 1 FROM seq WHERE x < ${to - 1})`;
  const arm = `CASE x % 3 ${ARMS.map((a, i) => `WHEN ${i} THEN '${a}'`).join(' ')} END`;
  const day = `(${today - DAYS + 1} + (x * ${DAYS}) / ${to})`;
  const rate = `CASE x % 3 ${ARMS.map((a, i) => `WHEN ${i} THEN ${PER_MILLE[a]}`).join(' ')} END`;
  return [
    `INSERT INTO exposures (experiment_id, visitor_id, member_id, arm, segment, at, day)
     ${seq} SELECT '${EXPERIMENT}', 'bench-' || x, NULL, ${arm}, 'consideration', ${day} * ${DAY_MS}, ${day} FROM seq;`,
    `INSERT INTO conversions (experiment_id, visitor_id, member_id, arm, event_id, at, day, value)
     ${seq} SELECT '${EXPERIMENT}', 'bench-' || x, NULL, ${arm}, 'bench-ev-' || x, ${day} * ${DAY_MS} + 3600000, ${day}, NULL
     FROM seq WHERE (x * 2654435761) % 1000 < ${rate};`,
  ].join('\n');
}

function d1Execute(dir, sql) {
  const file = path.join(dir, 'bench-results.sql');
  writeFileSync(file, sql);
  execFileSync(path.join(root, 'node_modules/.bin/wrangler'), ['d1', 'execute', 'DB', '--local', '--persist-to', dir, '--file', file], {
    cwd: root,
    stdio: 'pipe',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
  });
}

/**
 * wrangler needs Node ≥ 22: prefer the project's own `node` (a devDependency) for the child
 * processes. Done before local-edge.mjs is imported, since it snapshots the environment.
 */
function useProjectNode() {
  const bin = path.join(root, 'node_modules', '.bin');
  if (!(process.env.PATH ?? '').split(path.delimiter).includes(bin)) process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}

/** Median / p95 wall time and median in-worker time (Server-Timing) of `n` sequential GETs. */
async function timeGets(url, headers, n) {
  const wall = [];
  const server = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const res = await fetch(url, { headers });
    await res.arrayBuffer();
    wall.push(performance.now() - t);
    server.push(Number(/app;dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN));
  }
  wall.sort((a, b) => a - b);
  server.sort((a, b) => a - b);
  return { median: round(quantile(wall, 0.5)), p95: round(quantile(wall, 0.95)), server: round(quantile(server, 0.5)) };
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const round = (x) => Math.round(x * 10) / 10;

/**
 * @param {{ sizes?: number[], requests?: number }} [options] sizes ascending; rows are added
 *   incrementally, so the largest size is the total inserted.
 * @returns {Promise<{exposures: number, conversions: number, medianMs: number, p95Ms: number, serverMedianMs: number, liftMedianMs: number, insertSeconds: number}[]>}
 */
export async function benchResults({ sizes = [10_000, 100_000, 1_000_000], requests = REQUESTS } = {}) {
  useProjectNode();
  const { startLocalEdge } = await import('../scripts/local-edge.mjs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-results-'));
  const edge = await startLocalEdge({ persistTo: dir });
  const url = `${edge.url}/api/experiments/${EXPERIMENT}/results`;
  const liftUrl = `${edge.url}/api/lift`;
  const headers = { authorization: 'Bearer dev-admin-token' };
  const rows = [];
  try {
    let have = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const t0 = performance.now();
      if (size > have) d1Execute(dir, bulkSql(have, size));
      have = Math.max(have, size);
      const insertSeconds = round((performance.now() - t0) / 1000);
      const warm = await fetch(url, { headers });
      const body = await warm.json();
      if (!warm.ok) throw new Error(`results answered ${warm.status}: ${JSON.stringify(body)}`);
      const visitors = body.arms.reduce((s, a) => s + a.visitors, 0);
      if (visitors !== size) throw new Error(`expected ${size} exposures, the results page counts ${visitors}`);
      const conversions = body.arms.reduce((s, a) => s + a.conversions, 0);
      const results = await timeGets(url, headers, requests);
      await (await fetch(liftUrl, { headers })).arrayBuffer();
      const lift = await timeGets(liftUrl, headers, requests);
      rows.push({
        exposures: size,
        conversions,
        medianMs: results.median,
        p95Ms: results.p95,
        serverMedianMs: results.server,
        liftMedianMs: lift.median,
        insertSeconds,
      });
    }
  } finally {
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  const rows = await benchResults();
  console.log(`GET /api/experiments/${EXPERIMENT}/results — median / p95 of ${REQUESTS} requests after a warm-up (wall clock, loopback)\n`);
  console.log('| exposures | conversions | median | p95 | in worker (median) | /api/lift median | insert |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.exposures.toLocaleString('en')} | ${r.conversions.toLocaleString('en')} | ${r.medianMs} ms | ${r.p95Ms} ms | ${r.serverMedianMs} ms | ${r.liftMedianMs} ms | ${r.insertSeconds} s |`,
    );
  }
  console.log(`\nTotal ${round((performance.now() - started) / 1000)} s · node bench/results.mjs`);
}
