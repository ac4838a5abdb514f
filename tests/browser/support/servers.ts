/**
 * @module
 * Small Node HTTP servers for the browser tests:
 * - a host site on its own origin (http://localhost:PORT; the edge is http://127.0.0.1:PORT) that
 *   embeds the snippet under a strict CSP with Trusted Types enforced, as a careful customer would;
 * - a fake edge whose answers the test chooses (500, invalid JSON, a hang, a slow answer…), which
 *   records every request it gets.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import path from 'node:path';
import { root } from './edge';

export interface Running {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server, host: string, publicHost: string): Promise<Running> {
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const { port } = server.address() as import('node:net').AddressInfo;
      resolve({
        url: `http://${publicHost}:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A port nothing listens on (the edge "down"). */
export async function closedPort(): Promise<number> {
  const s = await listen(createServer(), '127.0.0.1', '127.0.0.1');
  await s.close();
  return s.port;
}

const origin = (u: string) => new URL(u).origin;

/** Page options, passed as query parameters so a test can write them in the URL. */
export interface HostPage {
  /** Where the snippet comes from (`<script async src>`). */
  src: string;
  /** `data-dw-endpoint`, when the events should go somewhere else. */
  endpoint?: string;
  /** `data-dw-timeout` in ms. */
  timeout?: number;
  /** `data-dw-consent="required"`. */
  consent?: boolean;
  /** Trusted Types policy names the page allows (default: dashiwake). */
  tt?: string;
  /** `?dw_preview=` token. */
  preview?: string;
  /** Send the body this many ms after the head: the async snippet then runs before the slots exist. */
  slowBody?: number;
}

/** `/`, `/pricing` (with `<meta name="dw:category" content="pricing">`) or `/blog` on the host. */
export function hostUrl(host: Running, pathname: string, p: HostPage): string {
  const q = new URLSearchParams({ src: p.src });
  if (p.endpoint) q.set('endpoint', p.endpoint);
  if (p.timeout) q.set('timeout', String(p.timeout));
  if (p.consent) q.set('consent', '1');
  if (p.tt) q.set('tt', p.tt);
  if (p.preview) q.set('dw_preview', p.preview);
  if (p.slowBody) q.set('slowBody', String(p.slowBody));
  return `${host.url}${pathname}?${q}`;
}

export const DEFAULT_HERO = 'Default hero: 会員データを、売上につながる体験へ。';
export const DEFAULT_CTA = 'Default CTA: 無料で試してみる';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function hostPage(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url!, 'http://host');
  const q = url.searchParams;
  if (url.pathname === '/site.js') {
    // The site's own script: a GTM-style dataLayer and a pre-load command, as real pages have.
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end(
      `window.dataLayer = window.dataLayer || [];
       window.dashiwake = window.dashiwake || [];
       window.__readyCalls = 0;
       dashiwake.push(['ready', function () { window.__readyCalls++; }]);`,
    );
    return;
  }
  const src = q.get('src');
  if (!src || !['/', '/pricing', '/blog'].includes(url.pathname)) {
    res.writeHead(404).end();
    return;
  }
  const endpoint = q.get('endpoint');
  const category = url.pathname === '/' ? null : url.pathname.slice(1);
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${origin(src)}`,
    `connect-src ${origin(endpoint || src)}`,
    "style-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${q.get('tt') || 'dashiwake'}`,
  ].join('; ');
  const attrs = [
    `async src="${esc(src)}"`,
    endpoint ? `data-dw-endpoint="${esc(endpoint)}"` : '',
    q.get('timeout') ? `data-dw-timeout="${esc(q.get('timeout')!)}"` : '',
    q.get('consent') ? 'data-dw-consent="required"' : '',
  ].join(' ');
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp });
  const head = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8">
${category ? `<meta name="dw:category" content="${category}">` : ''}
<title>Host ${url.pathname}</title>
<script src="/site.js"></script>
<script ${attrs}></script>
</head>`;
  const body = `<body>
<div id="hero" data-dw-slot="hero"><h1>${DEFAULT_HERO}</h1></div>
<p><a id="wp" href="#whitepaper" data-dw-download="whitepaper">ホワイトペーパー</a>
<a id="cs" href="#case-study" data-dw-download="case_study">導入事例</a></p>
<div id="cta" data-dw-slot="cta"><a href="#trial">${DEFAULT_CTA}</a></div>
</body></html>`;
  const delay = Number(q.get('slowBody') || 0);
  if (!delay) return void res.end(head + body);
  // Padding past the parser's first chunk, so the head (and the async script) is handled at once.
  res.write(head + `<!--${' '.repeat(4096)}-->`);
  setTimeout(() => res.end(body), delay);
}

export function startHost(): Promise<Running> {
  // Bound to 127.0.0.1 but addressed as "localhost": a different origin from the edge's 127.0.0.1.
  return listen(createServer(hostPage), '127.0.0.1', 'localhost');
}

export type FakeMode = 'ok' | 'nothing' | 'error500' | 'badjson' | 'hang' | 'slow' | 'degraded';

export interface FakeRequest {
  path: string;
  contentType: string | undefined;
  body: any;
}

export interface FakeEdge extends Running {
  mode: FakeMode;
  /** Delay of the 'slow' mode, ms. */
  delay: number;
  requests: FakeRequest[];
}

export const FAKE_HERO = '<strong id="swapped">Fake edge hero</strong>';

/** Serves the built /dw.js and answers /v1/* according to `mode`. */
export async function startFakeEdge(mode: FakeMode = 'ok'): Promise<FakeEdge> {
  const dwJs = () => readFileSync(path.join(root, 'dist/public/dw.js'));
  const state = { mode, delay: 1500, requests: [] as FakeRequest[] };
  const server = createServer((req, res) => {
    const cors = { 'access-control-allow-origin': '*' };
    if (req.url === '/dw.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', ...cors }).end(dwJs());
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {}
      state.requests.push({ path: req.url!, contentType: req.headers['content-type'], body });
      const ok = () => {
        const b = body as { visitorId?: string; slots?: string[] };
        const hero = state.mode === 'nothing' ? null : { variant: 'v', experiment: 'exp1', arm: 'a', content: { html: FAKE_HERO } };
        const answer =
          req.url === '/v1/decide'
            ? {
                visitorId: b.visitorId,
                segment: { key: 'hot_lead', name: 'ホットリード' },
                slots: Object.fromEntries((b.slots || []).map((s) => [s, s === 'hero' ? hero : null])),
              }
            : { accepted: 1, duplicates: 0, rejected: [], segment: null };
        res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(JSON.stringify(answer));
      };
      switch (state.mode) {
        case 'error500':
          res.writeHead(500, { 'content-type': 'application/json', ...cors }).end('{"error":{"code":"internal","message":"boom"}}');
          break;
        case 'degraded': {
          const b = body as { visitorId?: string; slots?: string[] };
          const answer =
            req.url === '/v1/decide'
              ? { visitorId: b.visitorId, segment: null, slots: Object.fromEntries((b.slots || []).map((s) => [s, null])), degraded: true }
              : { error: { code: 'unavailable', message: 'Storage is unavailable; retry later' } };
          res
            .writeHead(req.url === '/v1/decide' ? 200 : 503, { 'content-type': 'application/json', 'retry-after': '5', ...cors })
            .end(JSON.stringify(answer));
          break;
        }
        case 'badjson':
          res.writeHead(200, { 'content-type': 'application/json', ...cors }).end('{"visitorId": "x", "slots": {"hero": ');
          break;
        case 'hang':
          break; // never answers
        case 'slow':
          setTimeout(ok, state.delay);
          break;
        default:
          ok();
      }
    });
  });
  const running = await listen(server, '127.0.0.1', '127.0.0.1');
  return Object.assign(state, running) as FakeEdge;
}
