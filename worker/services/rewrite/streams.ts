/**
 * @module
 * The origin's body, of which the edge reads the first chunks in JavaScript while the rest flows
 * natively. A JavaScript stream over a whole page costs the worker time and memory per chunk (a
 * 10 MB page took 0.8 s instead of 0.2 s and grew the isolate by 16 MB); a native pipe costs
 * neither. So the edge reads only what it must (the charset prescan, the bytes up to the first
 * slot) and then hands the rest to an `IdentityTransformStream` with `pipeTo` — once: the runtime
 * cannot pipe one identity stream into another, so both readers share one `Peeked` body.
 */

/** A body being read: the chunks taken so far, and the reader holding the rest. */
export interface Peeked {
  source: ReadableStream<Uint8Array>;
  reader: ReadableStreamDefaultReader<Uint8Array>;
  taken: Uint8Array[];
  /** The reader has reported the end. */
  done: boolean;
}

/** @example const body = peek(res.body); await readMore(body); */
export const peek = (source: ReadableStream<Uint8Array>): Peeked => ({ source, reader: source.getReader(), taken: [], done: false });

/** Reads one more chunk into `taken`; false at the end. */
export async function readMore(body: Peeked): Promise<boolean> {
  if (body.done) return false;
  const { done, value } = await body.reader.read();
  if (done) body.done = true;
  else if (value.length) body.taken.push(value);
  return !done;
}

/**
 * A native stream of everything in `body`: the chunks taken (each one passed to `cut`, which may
 * split it), then, once `more(chunk)` says so (or at `limit` bytes), the rest through `pipeTo`.
 * Each write completes only when the consumer has read the chunk: nothing piles up here.
 */
function streamOut(body: Peeked, cut: (chunk: Uint8Array) => Uint8Array[], more: () => boolean, limit: number): ReadableStream<Uint8Array> {
  const { readable, writable } = new IdentityTransformStream();
  (async () => {
    const writer = writable.getWriter();
    try {
      let seen = 0;
      peeking: for (let i = 0; ; i++) {
        while (i === body.taken.length) {
          if (!more() || seen >= limit || !(await readMore(body))) break peeking;
        }
        const chunk = body.taken[i]!;
        seen += chunk.length;
        for (const piece of cut(chunk)) await writer.write(piece);
      }
      body.taken = [];
      if (body.done) return void (await writer.close());
    } catch (err) {
      await writer.abort(err).catch(() => {});
      await body.reader.cancel(err).catch(() => {});
      return;
    }
    writer.releaseLock();
    body.reader.releaseLock();
    await body.source.pipeTo(writable);
  })().catch(() => {
    // pipeTo has already errored or closed both sides: nothing is left to tell anyone.
  });
  return readable;
}

/**
 * The whole body as the origin sent it, as a native stream.
 * @example return new Response(handOver(body), res);
 */
export const handOver = (body: Peeked): ReadableStream<Uint8Array> =>
  streamOut(
    body,
    (c) => [c],
    () => false,
    0,
  );

/** At most this much of a page is looked at in JavaScript for its first slot; the rest flows natively. */
export const INSPECT_BYTES = 256 * 1024;

/**
 * The body with the chunk holding the first slot cut just before it (`cutAt(chunk)`: a byte
 * offset, or -1 when the chunk holds none). The HTML rewriter sends what it made of a chunk only
 * once the chunk is done, and the first slot waits for the decision: without the cut, the page's
 * head would wait with it whenever the origin sent both in one piece (a small page always does).
 * @example rewriter.transform(new Response(headFirst(peek(res.body), slotTagStart)))
 */
export function headFirst(body: Peeked, cutAt: (chunk: Uint8Array) => number): ReadableStream<Uint8Array> {
  let found = false;
  const cut = (chunk: Uint8Array): Uint8Array[] => {
    if (found) return [chunk];
    const at = cutAt(chunk);
    if (at < 0) return [chunk];
    found = true;
    return at > 0 ? [chunk.subarray(0, at), chunk.subarray(at)] : [chunk];
  };
  return streamOut(body, cut, () => !found, INSPECT_BYTES);
}
