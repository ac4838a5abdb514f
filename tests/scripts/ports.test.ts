/**
 * `npm start` and `npm run demo:traffic` against ports: a taken port is refused before anything
 * is built or started (the health check would otherwise reach the other server and report it as
 * ours), and demo:traffic goes where PORT says.
 */
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(script: string, env: Record<string, string>, args: string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      { cwd: root, env: { ...process.env, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** Another local server on a free port that answers everything (as another edge's /healthz would). */
function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as { port: number }).port })),
  );
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('npm start on a busy port', () => {
  it('refuses with a clear message and a free PORT to use, and prints no banner', async () => {
    const other = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    servers.push(other.server);
    const run = await runScript('scripts/start.mjs', { PORT: String(other.port) });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Port ${other.port} is already in use`);
    const suggested = Number(run.stderr.match(/PORT=(\d+) npm start/)?.[1]);
    expect(suggested).toBeGreaterThan(other.port);
    expect(run.stdout).not.toContain('dashiwake local edge');
  });

  it('refuses a PORT that is not a port number', async () => {
    const run = await runScript('scripts/start.mjs', { PORT: 'eighty' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT must be a port number');
  });

  it('startLocalEdge rejects a taken port before it starts anything', async () => {
    const other = await listen((_req, res) => res.end('ok'));
    servers.push(other.server);
    const mod = await import(pathToFileURL(path.join(root, 'scripts/local-edge.mjs')).href);
    expect(await mod.portInUse(other.port)).toBe(true);
    const error = await mod.startLocalEdge({ port: other.port }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.PortInUseError);
    expect(error).toMatchObject({ code: 'EADDRINUSE', port: other.port });
    expect(await mod.portInUse(error.suggestedPort)).toBe(false);
  });
});

describe('npm run demo:traffic', () => {
  it('sends to the edge on PORT', async () => {
    const paths: string[] = [];
    const edge = await listen((req, res) => {
      paths.push(req.url!);
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const body = JSON.parse(raw) as { visitorId: string };
        const answer = req.url === '/v1/decide' ? { visitorId: body.visitorId, slots: {} } : { visitorId: body.visitorId, accepted: 1 };
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      });
    });
    servers.push(edge.server);
    const run = await runScript('scripts/demo-traffic.mjs', { PORT: String(edge.port), EDGE_URL: '' }, ['--visitors', '2']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`http://localhost:${edge.port}`);
    expect(paths.filter((p) => p === '/v1/identify')).toHaveLength(2);
  });

  it('says how to start the edge when nothing answers', async () => {
    const probe = await listen(() => {});
    const port = probe.port;
    await new Promise((r) => probe.server.close(r));
    const run = await runScript('scripts/demo-traffic.mjs', { PORT: String(port), EDGE_URL: '' }, ['--visitors', '1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`No edge answers at http://localhost:${port}`);
  });
});
