/**
 * @module
 * The encoding of an HTML body whose `Content-Type` names none: reads just enough of the body
 * (up to the HTML standard's 1024-byte prescan, less when a `<meta charset>` comes first). What
 * it read stays in the peeked body, to be sent first (streams.ts): nothing is lost or reordered,
 * and the page is never held longer than its first kilobyte.
 */
import { pageCharset } from '../../core/charset';
import { type Peeked, readMore } from './streams';

const concat = (chunks: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
};

/**
 * Reads `body` until its encoding is known; the chunks read stay in `body.taken`.
 * @example
 *   const body = peek(res.body);
 *   const charset = await sniffCharset(body, res.headers.get('content-type'));
 */
export async function sniffCharset(body: Peeked, contentType: string | null): Promise<string | null> {
  for (;;) {
    const charset = pageCharset(contentType, concat(body.taken), body.done);
    if (charset !== undefined) return charset;
    if (!(await readMore(body))) return pageCharset(contentType, concat(body.taken), true) ?? null;
  }
}
