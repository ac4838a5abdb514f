/**
 * @module
 * Bench for the conditions that see change (`node bench/change.mjs`, also part of `npm run bench`):
 * decide CPU at 50 segments with a trend in each (goal: within 10 % of the same segments
 * without), in UTC and Asia/Tokyo; and training a propensity model on 100 000 members (goal ≤ 30 s).
 */
import os from 'node:os';
import path from 'node:path';
import { rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { demo } from '../db/seed/sql.mjs';
import { root } from '../scripts/local-edge.mjs';
import { syntheticConfig } from './configs.mjs';

const base = {
  version: 'demo',
  scoring: demo.scoring,
  categories: demo.categories,
  segments: demo.segments,
  slots: demo.slots,
  variants: demo.variants,
  experiments: demo.experiments,
};

const trend = (i) => ({ type: 'trend', event: 'page_view', where: { category: `c${i}` }, days: 30, op: 'lte', ratio: 0.5, minPrevious: 1 });

/** Each segment's behaviour window (pricing-like views within 7 days) replaced by a trend on the same counter. */
function trendsInstead(config) {
  return {
    ...config,
    segments: config.segments.map((s, i) => ({
      ...s,
      rule: { ...s.rule, conditions: s.rule.conditions.map((c) => (c.type === 'behavior' ? trend(i) : c)) },
    })),
  };
}

/** A trend first in every segment's rule, so every one is evaluated for every visitor. */
function trendsFirst(config) {
  return {
    ...config,
    segments: config.segments.map((s, i) => ({ ...s, rule: { ...s.rule, conditions: [trend(i), ...s.rule.conditions] } })),
  };
}

export async function benchChange({ iterations = 20000, members = 100_000 } = {}) {
  const bundle = path.join(os.tmpdir(), `dw-change-timing-${process.pid}.mjs`);
  await build({
    entryPoints: [path.join(root, 'bench/change-timing.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: bundle,
    logLevel: 'silent',
  });
  const { timeDecisions, timeTraining } = await import(pathToFileURL(bundle).href);
  const slots = Array.from({ length: 20 }, (_, j) => `slot${j}`);
  const plain = syntheticConfig({ segments: 50, slots: 20 }, base);
  const rows = [];
  let reference = null;
  for (const [label, config] of [
    ['50 segments with a behaviour window each (UTC)', plain],
    ['… each window replaced by a trend (UTC)', trendsInstead(plain)],
    ['… a trend added first to each, all evaluated (UTC)', trendsFirst(plain)],
    ['50 segments with a behaviour window each (Asia/Tokyo)', { ...plain, timeZone: 'Asia/Tokyo' }],
    ['… each window replaced by a trend (Asia/Tokyo)', { ...trendsInstead(plain), timeZone: 'Asia/Tokyo' }],
  ]) {
    timeDecisions(config, slots, 5000); // warm the JIT
    const t = timeDecisions(config, slots, iterations);
    reference ??= t.p50;
    rows.push([label, `${t.p50.toFixed(1)} µs`, `${t.p99.toFixed(1)} µs`, `${(((t.p50 - reference) / reference) * 100).toFixed(1)} %`]);
  }
  const training = timeTraining(members);
  rmSync(bundle, { force: true });
  return [
    {
      title: 'Pure decision with trend conditions, CPU per request (Node; returning visitor with 60 days of history, 20 slots)',
      head: ['configuration', 'p50', 'p99', 'p50 vs first row'],
      rows,
    },
    {
      title: `Propensity training on ${members.toLocaleString('en')} members + a holdout of as many (Node, ${training.d} features)`,
      head: ['features', 'Newton fit', 'AUC + lift (bootstrap)', 'total', 'holdout AUC'],
      rows: [
        [
          `${training.features.toFixed(2)} s`,
          `${training.fit.toFixed(2)} s`,
          `${training.evaluate.toFixed(2)} s`,
          `${training.total.toFixed(2)} s`,
          training.auc.toFixed(3),
        ],
      ],
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const t of await benchChange()) {
    console.log(`\n### ${t.title}\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
    for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  }
}
