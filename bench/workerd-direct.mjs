/**
 * @module
 * The edge in workerd without `wrangler dev`'s proxy, for the bench: `wrangler dev` puts its own
 * ProxyWorker (a second workerd, for hot reload and the inspector) in front of the worker, and
 * every request pays that extra hop — production has none. Here the same worker runs in workerd
 * through Miniflare's API, from the Miniflare (and so the workerd) wrangler itself uses, with the
 * same configuration: the worker bundled as `wrangler deploy` bundles it, the bindings, vars,
 * `.dev.vars`, D1 (local, migrated, demo configuration loaded), queues and assets of
 * `wrangler.toml` as `wrangler dev` reads them (`unstable_getMiniflareWorkerOptions`).
 * `consumers: false` leaves the queues without their consumers in this workerd: messages are
 * accepted and wait. On Cloudflare a queue's consumer is an invocation of its own and D1 runs on
 * other machines; locally both share the edge's one thread (its SQLite work blocks it), so this
 * variant shows what the edge itself adds to a page (bench/rewrite.mjs).
 * One hop remains that production also lacks: Miniflare's own entry worker in front of the
 * user worker (inside the same workerd process).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, root } from '../scripts/local-edge.mjs';

const wranglerDir = path.join(root, 'node_modules', 'wrangler');
/** Wrangler's own Miniflare (the top-level `miniflare` package may carry an older workerd). */
const miniflare = () => import(path.join(wranglerDir, 'node_modules', 'miniflare', 'dist', 'src', 'index.js'));

/** Bundles the worker in `project` as `wrangler deploy` would, into its `.wrangler/bench-bundle/index.js`. */
function bundleWorker(project) {
  const outdir = path.join(project, '.wrangler', 'bench-bundle');
  rmSync(outdir, { recursive: true, force: true });
  execFileSync(path.join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', '--dry-run', '--outdir', outdir], {
    cwd: project,
    stdio: 'pipe',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' },
  });
  return path.join(outdir, 'index.js');
}

async function start(options) {
  const { Miniflare, convertV4MiniflareOptions } = await miniflare();
  const port = await freePort();
  const mf = new Miniflare(convertV4MiniflareOptions({ host: '127.0.0.1', port, ...options }));
  const url = (await mf.ready).href.replace(/\/$/, '');
  return { url, stop: () => mf.dispose() };
}

/**
 * The edge (the built worker) in workerd, over the D1 already prepared in `persistTo`
 * (`prepareDatabase`), with `vars` on top of `wrangler.toml`'s and `.dev.vars`. `project`: another
 * checkout of the repository to build the worker from (a before/after comparison in one run).
 * @example const edge = await startDirectEdge({ persistTo: dir, vars: { ORIGIN_URL: origin.url } });
 */
export async function startDirectEdge({ persistTo, vars = {}, project = root, consumers = true }) {
  const { unstable_getMiniflareWorkerOptions } = await import(path.join(wranglerDir, 'wrangler-dist', 'cli.js'));
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, 'wrangler.toml'));
  // The bundle is one ES module: no module rules to apply (Miniflare 5 refuses them with `modules`).
  const { modulesRules: _, queueConsumers, ...options } = workerOptions;
  if (consumers) options.queueConsumers = queueConsumers;
  const bundle = bundleWorker(project);
  return start({
    rootPath: project,
    resourcePersistencePath: path.join(persistTo, 'v3'),
    workers: [
      {
        ...options,
        name: 'dashiwake',
        modulesRoot: path.dirname(bundle),
        modules: [{ type: 'ESModule', path: bundle, contents: readFileSync(bundle, 'utf8') }],
        bindings: { ...options.bindings, ...vars },
      },
    ],
  });
}

/**
 * The least a worker in front of the origin can do (`return fetch(origin)`), in workerd the same way.
 * @example const plain = await startDirectPlain(origin.url);
 */
export async function startDirectPlain(originUrl) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-plain-direct-'));
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'worker.js');
  const code = `export default { fetch: (req, env) => fetch(new Request(env.ORIGIN_URL + new URL(req.url).pathname, req)) };\n`;
  writeFileSync(file, code);
  const worker = await start({
    rootPath: dir,
    workers: [
      {
        name: 'plain',
        compatibilityDate: '2026-11-01',
        modulesRoot: dir,
        modules: [{ type: 'ESModule', path: file, contents: code }],
        bindings: { ORIGIN_URL: originUrl },
      },
    ],
  });
  return {
    url: worker.url,
    stop: async () => {
      await worker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
