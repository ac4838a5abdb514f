/**
 * @module
 * Reads a JSON body sent as `text/plain` (the snippet's way of avoiding a CORS preflight) or
 * `application/json`, capped at 64 KB (413 above), then validates it with zod.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import { MAX_BODY_BYTES } from '../schema/api';
import { ApiError, type Issue, zodIssues } from '../errors';
import { describeInput } from './described';

/** Turns a failed parse into the `issues` of the 400 (routes may map them closer to a field). */
export type IssueMapper = (error: z.ZodError) => Issue[];

const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function readCapped(c: Context): Promise<string> {
  const length = c.req.header('content-length');
  const declared = Number(length ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const body = c.req.raw.body;
  if (!body) return '';
  // Over HTTP a declared length is what the runtime reads (no more bytes than that), so under the
  // cap the body is read whole, with no chunk bookkeeping here (every decide has one). A request
  // made in code carries whatever header it likes: its text is measured when it is longer.
  if (length !== undefined && /^\d+$/.test(length) && !c.req.header('transfer-encoding')) {
    const text = await c.req.raw.text();
    if (text.length <= declared || encoder.encode(text).length <= MAX_BODY_BYTES) return text;
    throw tooLarge();
  }
  // Count bytes as they stream: a missing or lying Content-Length must not get past the cap.
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return decoder.decode(all);
}

function tooLarge(): ApiError {
  return new ApiError(413, 'payload_too_large', `Body must be at most ${MAX_BODY_BYTES} bytes`, undefined, undefined, {
    maximum: MAX_BODY_BYTES,
  });
}

/**
 * Parses and validates the request body.
 * @example
 *   const input = await jsonBody(c, DecideRequest);
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S, toIssues: IssueMapper = zodIssues): Promise<z.infer<S>> {
  const text = await readCapped(c);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'Body must be valid JSON');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = toIssues(parsed.error);
    throw new ApiError(400, 'invalid_request', 'Invalid request body', issues.length ? issues : zodIssues(parsed.error));
  }
  return parsed.data;
}

/**
 * The same as `jsonBody`, as route middleware that also declares the body type, so typed
 * clients (`hc<ServerApi>`) know what each route takes. Handlers read `c.req.valid('json')`.
 * @example
 *   .post('/collect', jsonInput(CollectRequest), async (c) => { const input = c.req.valid('json'); … })
 */
export function jsonInput<S extends z.ZodType>(
  schema: S,
  toIssues?: IssueMapper,
): MiddlewareHandler<any, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> {
  return describeInput(
    async function validateJsonBody(c, next) {
      c.req.addValidatedData('json', (await jsonBody(c, schema, toIssues)) as object);
      await next();
    },
    'json',
    schema,
  );
}
