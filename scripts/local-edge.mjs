/**
 * @module
 * Starts the real local edge: wrangler dev (workerd) with a local D1 that has the migrations
 * applied and the demo configuration loaded. Used by `npm start`, the browser tests and the bench,
 * so all three run exactly what a developer runs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSeedSql } from '../db/seed/sql.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wranglerBin = path.join(root, 'node_modules', '.bin', 'wrangler');
const quietEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_COLOR: '1' };

const varNames = (text) => new Set([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));

/**
 * Local dev values (`.dev.vars`, never deployed), from the committed `.dev.vars.example`. Values
 * a developer changed are kept; settings added to the example since are appended.
 */
export function ensureDevVars() {
  const target = path.join(root, '.dev.vars');
  const example = readFileSync(path.join(root, '.dev.vars.example'), 'utf8');
  if (!existsSync(target)) return writeFileSync(target, example);
  const current = readFileSync(target, 'utf8');
  const have = varNames(current);
  const missing = example.split('\n').filter((line) => /^[A-Z_]/.test(line) && !have.has(line.split('=')[0]));
  if (missing.length) writeFileSync(target, current.replace(/\n?$/, '\n') + missing.join('\n') + '\n');
}

/** Applies migrations and the (idempotent) demo seed to the local D1 kept in `persistTo`. */
export function prepareDatabase(persistTo, { seed = true } = {}) {
  mkdirSync(persistTo, { recursive: true });
  const run = (args) => execFileSync(wranglerBin, args, { cwd: root, env: quietEnv, stdio: 'pipe' });
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
  if (seed) {
    const file = path.join(persistTo, 'demo-seed.sql');
    writeFileSync(file, demoSeedSql());
    run(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file]);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `wrangler dev` and resolves once it answers. `stop()` ends it and its workerd child.
 * @example
 *   const edge = await startLocalEdge({ persistTo: '/tmp/dw-test' });
 *   await fetch(`${edge.url}/dw.js`);
 *   await edge.stop();
 */
export async function startLocalEdge({ port, persistTo, seed = true, vars = {}, stdio = 'pipe' } = {}) {
  ensureDevVars();
  const dir = persistTo ?? path.join(root, '.wrangler', 'state');
  prepareDatabase(dir, { seed });
  const listenPort = port ?? (await freePort());
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    wranglerBin,
    ['dev', '--port', String(listenPort), '--ip', '127.0.0.1', '--persist-to', dir, '--show-interactive-dev-session=false', ...varArgs],
    { cwd: root, env: quietEnv, stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {}
    if (Date.now() > deadline) {
      process.kill(-child.pid, 'SIGKILL');
      throw new Error(`wrangler dev did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port: listenPort,
    persistTo: dir,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
