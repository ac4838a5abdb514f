/**
 * @module
 * The encoding of an HTML body whose `Content-Type` names none: reads just enough of the body
 * (up to the HTML standard's 1024-byte prescan, less when a `<meta charset>` comes first) and
 * hands back a stream that replays those bytes before the rest, so nothing is lost or reordered
 * and the page is never held longer than its first kilobyte.
 */
import { pageCharset } from '../../core/charset';

export interface Sniffed {
  /** Canonical encoding name, or null (undeclared and not recognisably UTF-8). */
  charset: string | null;
  /** The whole body, from its first byte. */
  body: ReadableStream<Uint8Array>;
}

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
 * @example
 *   const { charset, body } = await sniffCharset(res.body, res.headers.get('content-type'));
 */
export async function sniffCharset(source: ReadableStream<Uint8Array>, contentType: string | null): Promise<Sniffed> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let done = false;
  let charset: string | null | undefined;
  for (;;) {
    const next = await reader.read();
    done = next.done;
    if (next.value?.length) chunks.push(next.value);
    charset = pageCharset(contentType, concat(chunks), done);
    if (charset !== undefined || done) break;
  }
  let replay = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (replay < chunks.length) return controller.enqueue(chunks[replay++]!);
      if (done) return controller.close();
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { charset: charset ?? null, body };
}
