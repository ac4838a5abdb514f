/**
 * @module
 * Rewrite mode: the edge in front of the site. Every request outside the edge's own paths goes
 * to `ORIGIN_URL`; a GET answered with an HTML page comes back personalized, streamed through
 * the rewriter; everything else comes back as the origin sent it.
 *
 * The order of work is what keeps the page fast: the visitor's storage read starts beside the
 * origin fetch; the response headers and the page's first bytes go out as soon as the origin
 * sends them; only the first slot waits for the decision, at most `REWRITE_WAIT_MS`.
 *
 * What is passed through untouched (status, headers and body as the origin sent them):
 * non-GET/HEAD requests, non-2xx answers (304s included), anything not HTML, pages in an encoding
 * the rewriter cannot parse (ISO-2022-JP, UTF-16) or that do not say theirs, and every answer to
 * a known crawler, to a visitor who opted out (`dw_vid=-`), to a preview link, and — with
 * `CONSENT_REQUIRED` — to a browser the snippet has not given an id yet.
 *
 * What a personalizable page gets (it may turn out to have no slot: its body then comes out byte
 * for byte, but its headers were sent before that was known):
 * `Cache-Control: private, no-store` (a shared cache must never keep one visitor's page), no
 * `ETag`/`Last-Modified` (they name the origin's bytes), no `Content-Length`/`Content-Encoding`
 * (the body is decoded and its length changes), and `Set-Cookie: dw_vid=…` for a new visitor.
 */
import { canonicalCharset, charsetParam, rewritableCharset } from '../../core/charset';
import { isCrawler } from '../../core/crawlers';
import { looksLikePageLoad, planFor, REWRITE_METHODS } from '../../core/rewrite-plan';
import { tokenFromCookies, visitorCookie, visitorFromCookies } from '../../core/visitor-cookie';
import type { Env } from '../../env';
import { D1_DELAY_HEADER } from '../../lib/d1-delay';
import { newVisitorId } from '../../lib/ids';
import { isLocalDev } from '../../lib/secrets';
import { WRITES_PATH_HEADER } from '../../routes/public';
import { sniffCharset } from './charset-sniff';
import { handOver, peek } from './streams';
import { LOOP_HEADER, originBase, originRequest } from './origin';
import { pageDecision, type PageDecision } from './page-decision';
import { rewritePage } from './rewriter';
import { sentTogether } from '../writes/send-together';

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/** Headers of a page that may be personalized (see the module comment). */
function personalizedHeaders(origin: Headers, cookie: string | null): Headers {
  const headers = new Headers(origin);
  for (const name of ['content-length', 'content-encoding', 'etag', 'last-modified', 'expires']) headers.delete(name);
  headers.set('cache-control', 'private, no-store');
  if (cookie) headers.append('set-cookie', cookie);
  return headers;
}

/**
 * The origin's answer with its body re-wrapped after the charset sniff: same status, headers and
 * bytes. A body the runtime decoded loses its Content-Encoding and Content-Length, which
 * described the encoded bytes.
 */
function sameAnswer(res: Response, body: ReadableStream<Uint8Array>): Response {
  const headers = new Headers(res.headers);
  if (headers.has('content-encoding')) {
    headers.delete('content-length');
    headers.delete('content-encoding');
  }
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

/**
 * @example
 *   if (env.ORIGIN_URL && !isEdgePath(pathname)) return proxyRequest(request, env, ctx);
 */
export async function proxyRequest(req: Request, env: Env, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<Response> {
  if (req.headers.has(LOOP_HEADER)) {
    return text(
      508,
      'Loop detected: this request already went through the dashiwake edge. ORIGIN_URL must lead to the origin server, not back to the edge.',
    );
  }
  const base = originBase(env.ORIGIN_URL);
  if (!base) return text(502, 'ORIGIN_URL is not an http(s) URL: the edge cannot reach the site.');

  const url = new URL(req.url);
  const who = visitorFromCookies(req.headers.get('cookie'));
  const personalize =
    REWRITE_METHODS.has(req.method) &&
    !isCrawler(req.headers.get('user-agent')) &&
    who.kind !== 'opted_out' &&
    !url.searchParams.has('dw_preview') &&
    !(env.CONSENT_REQUIRED === 'true' && who.kind === 'none');
  const pageLoad = personalize && looksLikePageLoad(req.method, req.headers.get('accept'));

  // The origin fetch goes out first: nothing the edge does for the decision may delay the page.
  const answer = fetch(originRequest(req, base, { pageLoad }));
  answer.catch(() => {}); // awaited below; handled here in case the decision's setup throws first

  let page: PageDecision | null = null;
  const visitorId = who.kind === 'known' ? who.visitorId : newVisitorId();
  if (personalize && req.method === 'GET') {
    page = pageDecision({
      env,
      waitUntil: (work) => ctx.waitUntil(work),
      visitorId,
      url: req.url,
      client: req.headers.get('cf-connecting-ip'),
      // As /v1/decide: the deployment's DECIDE_WRITES; locally, X-DW-Writes for one request (the bench).
      minted: who.kind === 'none',
      // The profile token of the edge's previous decision (the snippet keeps it in `dw_pt`).
      token: who.kind === 'known' ? tokenFromCookies(req.headers.get('cookie')) : null,
      queue:
        ((isLocalDev(env) && req.headers.get(WRITES_PATH_HEADER)) || env.DECIDE_WRITES) === 'queue'
          ? sentTogether(env.WRITES_QUEUE)
          : undefined,
      d1Delay: req.headers.get(D1_DELAY_HEADER),
    });
    // Beside the origin fetch: by the time the first slot streams past, the read is usually done.
    if (pageLoad) page.start();
  }

  let res: Response;
  try {
    res = await answer;
  } catch (err) {
    console.error('origin unreachable', err);
    return text(502, 'The site is unreachable right now. Please try again in a moment.');
  }
  if (!personalize) return res;
  const plan = planFor({
    method: req.method,
    status: res.status,
    contentType: res.headers.get('content-type'),
    contentEncoding: res.headers.get('content-encoding'),
  });
  if (!plan.rewrite) return res;
  // HEAD: the headers a GET of this page gets (no cookie: nothing is decided without a body).
  if (req.method === 'HEAD')
    return new Response(null, { status: res.status, statusText: res.statusText, headers: personalizedHeaders(res.headers, null) });

  if (!res.body) return res;
  const declared = charsetParam(res.headers.get('content-type'));
  let charset = declared ? canonicalCharset(declared) : null;
  if (declared && (!charset || !rewritableCharset(charset))) return res;
  const body = peek(res.body);
  if (!declared) {
    charset = await sniffCharset(body, res.headers.get('content-type'));
    // Read from, so re-wrapped; still every byte as the origin sent it.
    if (!charset || !rewritableCharset(charset)) return sameAnswer(res, handOver(body));
  }

  const cookie = who.kind === 'known' ? null : visitorCookie(visitorId, url.protocol === 'https:');
  const headers = personalizedHeaders(res.headers, cookie);
  const out = page ? rewritePage(body, charset!, page) : handOver(body);
  return new Response(out, { status: res.status, statusText: res.statusText, headers });
}
