/**
 * @module
 * Query-string validation with a shared zod schema (Hono's `validator`): a failure is the same
 * 400 `invalid_request` with per-field `issues` as a bad body, the handler reads the parsed,
 * typed value with `c.req.valid('query')`, and the schema is described for the OpenAPI document.
 * (`@hono/zod-validator` types its input as strings only, which refuses schemas that
 * preprocess query values, e.g. numbers from `?minScore=80`.)
 */
import type { MiddlewareHandler } from 'hono';
import { validator } from 'hono/validator';
import type { z } from 'zod';
import { invalid } from '../errors';
import { describeInput } from './described';

/**
 * @example
 *   .get('/lift', queryInput(LiftQuery), (c) => { const q = c.req.valid('query'); … })
 */
export function queryInput<S extends z.ZodType>(
  schema: S,
): MiddlewareHandler<any, string, { in: { query: QueryStrings<z.input<S>> }; out: { query: z.output<S> } }> {
  const check = validator('query', (value) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw invalid(parsed.error, 'Invalid query parameters');
    return parsed.data as object;
  });
  return describeInput(check as unknown as MiddlewareHandler, 'query', schema);
}

/** What a typed client sends for a query schema: every parameter optional, as strings. */
type QueryStrings<T> = { [K in keyof T]?: string | string[] };
