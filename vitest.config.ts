import path from 'node:path';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { unstable_readConfig } from 'wrangler';

/**
 * The projects:
 * - `core`: the pure modules (worker/core, snippet helpers, admin models) in Node, fast
 *   (`npm run test:unit`).
 * - `tools`: the deploy scripts, the server SDK and the rate-limit lease on wrangler's local
 *   binding, in Node; they start processes (wrangler's config reader, tsc over a sample project,
 *   a local edge), so they stay out of the fast loop.
 * - `worker`: routes and storage in workerd with a real local D1 (isolated per test file).
 * - `browser`: Chromium (playwright-core) against a real `wrangler dev`.
 * - `load`: 60 s of concurrent simulated visitors against a real `wrangler dev`.
 * `npm test` runs them one after another, so timing-sensitive suites never share the 2 cores.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, 'db/migrations'));
  // The committed [vars], exactly as `wrangler deploy` would ship them.
  const wranglerConfig = unstable_readConfig({ config: path.join(import.meta.dirname, 'wrangler.toml') });
  const productionVars = wranglerConfig.vars;
  // The queue consumers as wrangler.toml sets them, except that a decide's writes are consumed at
  // once (no batch timeout): tests wait for them to drain before reading D1 (tests/worker/helpers.ts).
  const queueConsumers = Object.fromEntries(
    (wranglerConfig.queues?.consumers ?? []).map(
      (q: { queue: string; max_batch_size?: number; max_batch_timeout?: number; max_retries?: number; dead_letter_queue?: string }) => [
        q.queue,
        {
          maxBatchSize: q.max_batch_size,
          maxBatchTimeout: q.queue === 'dashiwake-writes' ? 0 : q.max_batch_timeout,
          maxRetries: q.max_retries,
          deadLetterQueue: q.dead_letter_queue,
        },
      ],
    ),
  );
  return {
    test: {
      projects: [
        {
          test: {
            name: 'core',
            alias: { '@worker': path.join(import.meta.dirname, 'worker') },
            include: ['tests/core/**/*.test.ts', 'tests/snippet/**/*.test.ts', 'tests/admin/**/*.test.{ts,tsx}'],
            environment: 'node',
            // Pure modules: files share a worker instead of paying ~0.2 s of start-up each (the
            // loop takes 13 s instead of 29 s on this 2-core machine; shuffled orders pass too).
            isolate: false,
          },
        },
        {
          test: {
            name: 'tools',
            alias: { '@worker': path.join(import.meta.dirname, 'worker') },
            include: ['tests/scripts/**/*.test.ts', 'tests/sdk/**/*.test.ts', 'tests/edge/**/*.test.ts'],
            environment: 'node',
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                queueConsumers,
                // The optional event archive (docs/storage.md#event-retention): bound in the tests
                // only; a deployment adds its own bucket.
                r2Buckets: ['ARCHIVE'],
                bindings: {
                  TEST_MIGRATIONS: migrations,
                  PRODUCTION_VARS: JSON.stringify(productionVars),
                  // The same local-dev values as .dev.vars.example; tests of the production
                  // defaults overlay wrangler.toml's own [vars] (tests/worker/production.test.ts).
                  LOCAL_DEV: 'true',
                  DEMO_MODE: 'true',
                  ALLOWED_ORIGINS: '*',
                  DEBUG_TIMING: 'true',
                  ADMIN_TOKEN: 'dev-admin-token',
                  SERVER_API_KEY: 'dev-server-key',
                  IDENTIFY_SECRET: 'dev-identify-secret',
                  PREVIEW_SECRET: 'dev-preview-secret',
                  PROFILE_SECRET: 'dev-profile-secret',
                  ALLOW_PRIVATE_WEBHOOKS: 'true',
                  // The worker tests run decides through the writes queue (docs/storage.md).
                  DECIDE_WRITES: 'queue',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['tests/worker/**/*.test.ts'],
            setupFiles: ['tests/worker/apply-migrations.ts'],
            // Some files build a year of history or train a model in their setup; on a busy 2-core
            // machine the defaults (5 s / 10 s) cut them off mid-work, which says nothing about them.
            testTimeout: 20_000,
            hookTimeout: 60_000,
            // Real servers in Node, reached over local HTTP (URLs by inject()): an origin for the
            // rewrite-mode tests, a webhook receiver for the alert tests.
            globalSetup: ['tests/worker/origin/global-setup.ts', 'tests/worker/receiver/global-setup.ts'],
          },
        },
        {
          test: {
            name: 'browser',
            include: ['tests/browser/**/*.test.ts'],
            environment: 'node',
            testTimeout: 60_000,
            hookTimeout: 120_000,
            fileParallelism: false,
            // What a person sees settles within a few seconds on a loaded 2-core machine; a poll's
            // default second is a race, not a check.
            expect: { poll: { timeout: 10_000 } },
            // Once per run: the assets, the demo database every fresh edge copies, one Chromium
            // and the shared edge (tests/browser/support/edge.ts says how files use them).
            globalSetup: ['tests/browser/support/global-setup.ts'],
          },
        },
        {
          test: {
            name: 'load',
            include: ['tests/load/**/*.test.ts'],
            environment: 'node',
            testTimeout: 300_000,
            hookTimeout: 120_000,
          },
        },
      ],
    },
  };
});
