/**
 * @module
 * Builds the static assets the worker serves from dist/public: the snippet (/dw.js),
 * the demo site (/demo) and the admin console (/admin).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './local-edge.mjs';
import { pruneDevAssets } from './production-assets.mjs';

mkdirSync(path.join(root, 'dist/public'), { recursive: true });
// The worker's `Env` type, generated from wrangler.toml and the names in .dev.vars.example.
execFileSync(
  path.join(root, 'node_modules/.bin/wrangler'),
  ['types', 'worker/worker-configuration.d.ts', '--include-runtime=false', '--strict-vars=false', '--env-file', '.dev.vars.example'],
  { cwd: root, stdio: 'pipe', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
);
const node = (script) => execFileSync(process.execPath, [script], { cwd: root, stdio: 'inherit' });
if (existsSync(path.join(root, 'snippet/build.mjs'))) node('snippet/build.mjs');
// The server SDK (packages/server-sdk/dist), whose event types come from the worker's schemas.
node('packages/server-sdk/build.mjs');
if (existsSync(path.join(root, 'admin/vite.config.ts'))) {
  execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  // Fails over the console's initial-download budget (60 KB min+gzip), like the snippet's.
  node('admin/size.mjs');
}

// `--production` (npm run deploy): no demo site in what `wrangler deploy` uploads.
if (process.argv.includes('--production')) {
  const removed = pruneDevAssets(path.join(root, 'dist/public'));
  if (removed.length) console.log(`production build: left out ${removed.map((r) => `/${r}`).join(', ')}`);
}
