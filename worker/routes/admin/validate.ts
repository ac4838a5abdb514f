/**
 * @module
 * Body validation for the admin API with the shared zod schemas. The client type sees the
 * schema's *input* (defaults optional) and the handler its *output*, the way
 * `@hono/zod-validator` does; a failure becomes the contract's 400 with per-field `issues`,
 * so the console can show each message next to its field.
 */
import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { ApiError, invalid } from '../../errors';

/**
 * @example
 *   new Hono<App>().put('/scoring', zjson(ScoringPut), (c) => { const body = c.req.valid('json'); … })
 */
export function zjson<S extends z.ZodType>(schema: S) {
  return validator('json', function validateBody(value) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalid(parsed.error);
    return parsed.data as z.output<S>;
  }) as unknown as MiddlewareHandler<any, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }>;
}

/** A 400 tied to one field, for checks zod cannot make alone (a variant that must exist, …). */
export function fieldError(path: (string | number)[], message: string, status: 400 | 409 = 400): ApiError {
  return new ApiError(status, status === 409 ? 'conflict' : 'invalid_request', message, [{ path, message }]);
}

/** A 409 with no particular field (e.g. "stop the experiment first"). */
export function conflict(message: string): ApiError {
  return new ApiError(409, 'conflict', message);
}
