/**
 * @module
 * Forwarding a request to the site's origin (`ORIGIN_URL`): same method, path, query, headers and
 * streamed body; redirects are the browser's business (`redirect: 'manual'`); the public host and
 * scheme go along as `X-Forwarded-Host` / `X-Forwarded-Proto`.
 *
 * Loop guard: every forwarded request carries `X-Dashiwake-Edge`. A request arriving with it has
 * been through this edge already (an `ORIGIN_URL` that leads back to the edge itself), and is
 * answered 508 instead of being forwarded again and again. On Cloudflare a Worker's subrequest to
 * its own zone goes to the origin server, not back to the Worker, so `ORIGIN_URL` may name the
 * site's own hostname.
 */

export const LOOP_HEADER = 'x-dashiwake-edge';

/**
 * The origin's base URL, or null when `ORIGIN_URL` is not an http(s) URL.
 * @example originBase('http://127.0.0.1:8900') // URL { origin: 'http://127.0.0.1:8900', pathname: '/' }
 */
export function originBase(value: string | undefined): URL | null {
  try {
    const url = new URL(value ?? '');
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

/**
 * Content codings the runtime decodes for the rewriter. A page load's `Accept-Encoding` keeps only
 * these, so a page never arrives in one the edge cannot read (it would then go out unpersonalized).
 */
function decodableEncodings(accept: string | null): string | null {
  const kept = (accept ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => /^(gzip|br)\b/i.test(s) && !/;\s*q\s*=\s*0(\.0*)?\s*$/i.test(s));
  return kept.length ? kept.join(', ') : null;
}

/**
 * The request the origin gets for `req`.
 * @example fetch(originRequest(req, originBase(env.ORIGIN_URL)!, { pageLoad: true }))
 */
export function originRequest(req: Request, base: URL, opts: { pageLoad: boolean }): Request {
  const url = new URL(req.url);
  const target = new URL(base);
  target.pathname = base.pathname.replace(/\/$/, '') + url.pathname;
  target.search = url.search;
  const headers = new Headers(req.headers);
  headers.set(LOOP_HEADER, '1');
  headers.set('x-forwarded-host', url.host);
  headers.set('x-forwarded-proto', url.protocol.replace(':', ''));
  if (opts.pageLoad) {
    const encodings = decodableEncodings(req.headers.get('accept-encoding'));
    if (encodings) headers.set('accept-encoding', encodings);
    else headers.delete('accept-encoding');
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(target, { method: req.method, headers, body: hasBody ? req.body : null, redirect: 'manual' });
}
