/**
 * @module
 * One HTTP attempt at a webhook: POST with a 10 s timeout, redirects not followed (a redirect
 * could lead anywhere, including where the URL check would have refused to go), and only the
 * first bytes of the answer kept for the delivery log.
 */
import { type AttemptResult, retryAfterSeconds } from '../../core/alerts/delivery';

/** Give up on a receiver after this long (the attempt is then retried). */
export const SEND_TIMEOUT_MS = 10_000;
/** Characters of the receiver's answer kept in the log. */
export const EXCERPT_CHARS = 500;
/** Bytes read from the answer at most (the rest is never downloaded). */
const EXCERPT_BYTES = 2048;

export interface SendOutcome {
  result: AttemptResult;
  excerpt: string | null;
  durationMs: number;
}

/**
 * The first characters of a body, without control characters, reading at most EXCERPT_BYTES.
 * @example await readExcerpt(new Response('ok')) // 'ok'
 */
export async function readExcerpt(res: Response): Promise<string | null> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(Math.min(size, EXCERPT_BYTES));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at >= bytes.length) break;
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  const trimmed = text.trim();
  if (!trimmed) return null;
  return trimmed.length > EXCERPT_CHARS ? `${trimmed.slice(0, EXCERPT_CHARS)}…` : trimmed;
}

/**
 * @example const out = await postWebhook('https://hooks.example.com/x', body, headers);
 */
export async function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs = SEND_TIMEOUT_MS,
): Promise<SendOutcome> {
  const started = Date.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      body,
      headers: { 'user-agent': 'dashiwake-webhooks/1', ...headers },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const excerpt = await readExcerpt(res).catch(() => null);
    return {
      result: { kind: 'response', status: res.status, retryAfterS: retryAfterSeconds(res.headers.get('retry-after'), Date.now()) },
      excerpt,
      durationMs: Date.now() - started,
    };
  } catch (err) {
    const name = (err as Error)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return {
      result: { kind: timedOut ? 'timeout' : 'network' },
      excerpt: timedOut ? null : String((err as Error)?.message ?? err).slice(0, EXCERPT_CHARS),
      durationMs: Date.now() - started,
    };
  }
}
