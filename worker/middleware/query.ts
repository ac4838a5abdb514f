/**
 * @module
 * Query-string validation with a shared zod schema (`@hono/zod-validator`): a failure is the
 * same 400 `invalid_request` with per-field `issues` as a bad body, and the schema is described
 * for the OpenAPI document.
 */
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { invalid } from '../errors';
import { describeInput } from './described';

/**
 * @example
 *   .get('/lift', queryInput(LiftQuery), (c) => { const q = c.req.valid('query'); … })
 */
export function queryInput<S extends z.ZodType<any, Record<string, string | string[] | undefined>>>(schema: S) {
  return describeInput(
    zValidator('query', schema, (result) => {
      if (!result.success) throw invalid(result.error as unknown as z.ZodError, 'Invalid query parameters');
    }),
    'query',
    schema,
  );
}
