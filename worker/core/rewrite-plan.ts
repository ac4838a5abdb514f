/**
 * @module
 * What the edge does with a request and its origin's answer in rewrite mode (`ORIGIN_URL` set):
 * which paths stay the edge's own, which requests are worth starting a decision for, and which
 * responses go through the HTML rewriter. Everything else is passed through as the origin sent
 * it, byte for byte and streamed.
 */

/**
 * The edge's own paths: its API, the console, the snippet, the demo and the health check. All
 * other paths belong to the site and are forwarded to the origin.
 * @example isEdgePath('/v1/decide') // true
 * @example isEdgePath('/pricing.html') // false
 */
export function isEdgePath(pathname: string): boolean {
  return (
    pathname.startsWith('/v1/') ||
    pathname.startsWith('/api/') ||
    pathname.startsWith('/admin') ||
    pathname.startsWith('/demo') ||
    pathname === '/dw.js' ||
    pathname === '/healthz'
  );
}

/** Methods whose HTML responses are personalized (HEAD gets the same headers, without a body). */
export const REWRITE_METHODS = new Set(['GET', 'HEAD']);

/**
 * Whether a request is probably a page load, so the decision's storage read can start beside the
 * origin fetch: a GET that accepts HTML. (Images, scripts and styles do not ask for text/html;
 * a page fetched without saying so is still personalized, its read just starts later.)
 * @example looksLikePageLoad('GET', 'text/html,application/xhtml+xml,*\/*;q=0.8') // true
 */
export function looksLikePageLoad(method: string, accept: string | null): boolean {
  return method === 'GET' && /text\/html/i.test(accept ?? '');
}

/** Content encodings the runtime decodes on fetch (the rewriter needs the plain bytes). */
const DECODED_ENCODINGS = new Set(['', 'identity', 'gzip', 'x-gzip', 'br']);

export interface OriginAnswer {
  method: string;
  status: number;
  contentType: string | null;
  contentEncoding: string | null;
}

export type Plan = { rewrite: true } | { rewrite: false; reason: PassReason };
export type PassReason = 'method' | 'status' | 'not_html' | 'encoding';

/**
 * Rewrite only a successful HTML answer to a GET or HEAD, in an encoding the runtime decoded.
 * (206 partial content is not a page; 204/205 have no body.)
 * @example planFor({ method: 'GET', status: 200, contentType: 'text/html; charset=utf-8', contentEncoding: 'gzip' }) // { rewrite: true }
 * @example planFor({ method: 'POST', status: 200, contentType: 'text/html', contentEncoding: null }) // { rewrite: false, reason: 'method' }
 */
export function planFor(a: OriginAnswer): Plan {
  if (!REWRITE_METHODS.has(a.method)) return { rewrite: false, reason: 'method' };
  if (a.status !== 200 && a.status !== 203) return { rewrite: false, reason: 'status' };
  const type = (a.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'text/html' && type !== 'application/xhtml+xml') return { rewrite: false, reason: 'not_html' };
  if (!DECODED_ENCODINGS.has((a.contentEncoding ?? '').trim().toLowerCase())) return { rewrite: false, reason: 'encoding' };
  return { rewrite: true };
}
