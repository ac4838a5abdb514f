/**
 * @module
 * A real origin server for the rewrite-mode tests (plain Node HTTP, started by global-setup.ts
 * beside the workerd test pool). Tests write the pages it serves, byte for byte, through a small
 * control API, so each test states its page where it asserts on it:
 *
 * - `PUT /__pages/<path>` `{status?, headers?, parts: base64[], gzip?, hold?, repeat?, echo?}`:
 *   serve `parts` (in order, each written as its own chunk) at `<path>`. `hold: i` stops after
 *   part `i` until `POST /__release/<path>`; `repeat: {part, times}` writes that part `times`
 *   times (a 10 MB page without sending 10 MB to set it up); `gzip` compresses (in one piece with
 *   its Content-Length, or chunk by chunk when held or repeated); `echo` answers
 *   with the request it got (method, headers, body) as JSON.
 * - `GET /__state/<path>` → `{requests, finished}`: how many requests it got and completed.
 * - `GET /__log` → the last requests' method, path and headers.
 *
 * A page whose headers carry an `etag` answers `304` to a matching `If-None-Match`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createGzip, gzipSync } from 'node:zlib';

export interface PageSpec {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** Base64 chunks, written one after the other. */
  parts?: string[];
  gzip?: boolean;
  /** Stop after this part until released. */
  hold?: number;
  repeat?: { part: number; times: number };
  echo?: boolean;
}

interface Page extends PageSpec {
  requests: number;
  finished: number;
  release: (() => void)[];
  released: boolean;
}

export interface Origin {
  url: string;
  close(): Promise<void>;
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Writes `chunk`, waiting for the socket to drain when its buffer is full (memory stays flat). */
const write = (out: NodeJS.WritableStream, chunk: Buffer) =>
  new Promise<void>((resolve) => (out.write(chunk) ? resolve() : out.once('drain', () => resolve())));

export async function startOrigin(port = 0): Promise<Origin> {
  const pages = new Map<string, Page>();
  const log: { method: string; path: string; headers: IncomingMessage['headers'] }[] = [];

  async function serve(req: IncomingMessage, res: ServerResponse, page: Page) {
    page.requests++;
    if (page.echo) {
      const body = await readBody(req);
      res.writeHead(page.status ?? 200, { 'content-type': 'application/json', ...page.headers });
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body: body.toString('utf8') }));
      page.finished++;
      return;
    }
    const etag = page.headers?.etag;
    if (etag && req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag: String(etag) });
      res.end();
      page.finished++;
      return;
    }
    const headers: Record<string, string | string[]> = { ...page.headers };
    const parts = (page.parts ?? []).map((p) => Buffer.from(p, 'base64'));
    if (page.gzip) headers['content-encoding'] = 'gzip';
    if (page.gzip && page.hold === undefined && !page.repeat) {
      // Compressed in one piece, with the Content-Length of the compressed bytes (as most servers do).
      const body = gzipSync(Buffer.concat(parts));
      res.writeHead(page.status ?? 200, { ...headers, 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
      page.finished++;
      return;
    }
    res.writeHead(page.status ?? 200, headers);
    if (req.method === 'HEAD') {
      res.end();
      page.finished++;
      return;
    }
    let out: NodeJS.WritableStream = res;
    if (page.gzip) {
      const gz = createGzip();
      gz.pipe(res);
      out = gz;
    }
    for (let i = 0; i < parts.length; i++) {
      const times = page.repeat?.part === i ? page.repeat.times : 1;
      for (let n = 0; n < times; n++) await write(out, parts[i]!);
      if (page.gzip) (out as ReturnType<typeof createGzip>).flush();
      if (page.hold === i && !page.released) await new Promise<void>((r) => page.release.push(r));
    }
    out.end();
    await new Promise<void>((r) => res.once('finish', () => r()));
    page.finished++;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://origin.test');
    const [, control, ...rest] = url.pathname.split('/');
    const key = `/${rest.join('/')}`;
    if (control === '__pages' && req.method === 'PUT') {
      const spec = JSON.parse((await readBody(req)).toString('utf8')) as PageSpec;
      pages.set(key, { ...spec, requests: 0, finished: 0, release: [], released: false });
      res.writeHead(204).end();
      return;
    }
    if (control === '__release' && req.method === 'POST') {
      const page = pages.get(key);
      if (page) {
        page.released = true;
        for (const r of page.release.splice(0)) r();
      }
      res.writeHead(204).end();
      return;
    }
    if (control === '__state') {
      const page = pages.get(key);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ requests: page?.requests ?? 0, finished: page?.finished ?? 0 }));
      return;
    }
    if (control === '__log') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(log.slice(-200)));
      return;
    }
    log.push({ method: req.method ?? 'GET', path: url.pathname + url.search, headers: req.headers });
    const page = pages.get(url.pathname);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no page at ${url.pathname}`);
      return;
    }
    await serve(req, res, page);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      console.error('origin test server', err);
      res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
