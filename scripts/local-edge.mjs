/**
 * @module
 * Starts the real local edge: wrangler dev (workerd) with a local D1 that has the migrations
 * applied and the demo configuration loaded. Used by `npm start`, the browser tests and the bench,
 * so all three run exactly what a developer runs.
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSeedSql } from '../db/seed/sql.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wranglerBin = path.join(root, 'node_modules', '.bin', 'wrangler');
/**
 * The environment of every wrangler command the scripts and benches run: no metrics, no prompts,
 * no colours, and wrangler dev without its local traces. wrangler dev records a trace of every
 * Worker invocation in a SQLite file for its local explorer, on the edge's one workerd thread:
 * about 9 disk writes and half an fsync per decide, which production never pays (Cloudflare's
 * observability is off the request path). `X_LOCAL_OBSERVABILITY=true npm start` turns them back
 * on; docs/storage.md, "Ninth pass".
 */
export function wranglerEnv() {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    CI: 'true',
    NO_COLOR: '1',
    X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? 'false',
  };
}

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
  const run = (args) => execFileSync(wranglerBin, args, { cwd: root, env: wranglerEnv(), stdio: 'pipe' });
  run(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo]);
  if (seed) {
    const file = path.join(persistTo, 'demo-seed.sql');
    writeFileSync(file, demoSeedSql());
    run(['d1', 'execute', 'DB', '--local', '--persist-to', persistTo, '--file', file]);
  }
}

/** A port the system chooses, free when this resolves (wrangler dev takes it right after). */
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

const accepts = (port, host) =>
  new Promise((resolve) => {
    const socket = connect({ port, host });
    const done = (busy) => {
      socket.destroy();
      resolve(busy);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });

const bindable = (port, host) =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });

/**
 * Whether another server already holds `port`: one that accepts connections on 127.0.0.1 or ::1
 * (where `localhost` may lead a browser), or one that keeps wrangler from binding 127.0.0.1.
 */
export async function portInUse(port) {
  const answers = await Promise.all([accepts(port, '127.0.0.1'), accepts(port, '::1')]);
  return answers.includes(true) || !(await bindable(port, '127.0.0.1'));
}

/** The first port from `from` upwards that nothing holds (a suggestion for a busy default). */
export async function nextFreePort(from) {
  for (let port = from; port < Math.min(from + 100, 65536); port++) if (!(await portInUse(port))) return port;
  return freePort();
}

/** Raised by startLocalEdge when the port asked for is already taken. */
export class PortInUseError extends Error {
  constructor(port, suggestedPort) {
    super(
      `Port ${port} is already in use (another \`npm start\` or wrangler dev?). Stop that server or choose another port: PORT=${suggestedPort} npm start`,
    );
    this.name = 'PortInUseError';
    this.code = 'EADDRINUSE';
    this.port = port;
    this.suggestedPort = suggestedPort;
  }
}

/**
 * Starts `wrangler dev` and resolves once it answers. `stop()` ends it and its workerd child.
 * `prepared: true` says the database in `persistTo` already has the migrations (and the seed):
 * the browser tests copy one prepared database instead of running two wrangler commands per edge.
 * @example
 *   const edge = await startLocalEdge({ persistTo: '/tmp/dw-test' });
 *   await fetch(`${edge.url}/dw.js`);
 *   await edge.stop();
 */
export async function startLocalEdge({ port, persistTo, seed = true, prepared = false, vars = {}, stdio = 'pipe' } = {}) {
  // Checked before anything starts: on a taken port the health check below would reach the other
  // server and report success while wrangler dev fails to bind.
  if (port !== undefined && (await portInUse(port))) throw new PortInUseError(port, await nextFreePort(port + 1));
  ensureDevVars();
  const dir = persistTo ?? path.join(root, '.wrangler', 'state');
  if (!prepared) prepareDatabase(dir, { seed });
  const listenPort = port ?? (await freePort());
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const child = spawn(
    wranglerBin,
    ['dev', '--port', String(listenPort), '--ip', '127.0.0.1', '--persist-to', dir, '--show-interactive-dev-session=false', ...varArgs],
    { cwd: root, env: wranglerEnv(), stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'], detached: true },
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
      // Only our own wrangler dev counts: if it has exited meanwhile, something else answered.
      if (res.ok && child.exitCode === null) break;
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
    /** wrangler's process id (its workerd runs in the same process group): the bench reads memory. */
    pid: child.pid,
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
