/**
 * @module
 * Which zod schema a validating middleware checks, kept beside the middleware itself, so the
 * OpenAPI document (worker/openapi.ts) is built from the very schemas the routes validate
 * with: a route that changes its schema changes its documentation in the same edit.
 */
import { z } from 'zod';

export type InputTarget = 'json' | 'query' | 'raw';

export interface DescribedInput {
  target: InputTarget;
  schema: z.ZodType;
  /** For `raw` bodies (a file upload): the media type, e.g. `text/csv`. */
  contentType?: string;
}

const inputs = new WeakMap<object, DescribedInput>();

/**
 * Marks `middleware` as validating `target` with `schema`; returns the middleware unchanged.
 * @example
 *   return describeInput(validateJsonBody, 'json', schema);
 */
export function describeInput<M extends (...args: any[]) => unknown>(
  middleware: M,
  target: InputTarget,
  schema: z.ZodType,
  contentType?: string,
): M {
  inputs.set(middleware, contentType ? { target, schema, contentType } : { target, schema });
  return middleware;
}

/**
 * Declares that a route reads its body raw (a file), for the OpenAPI document; it checks nothing
 * itself, the handler streams and validates the body.
 * @example
 *   .post('/import', rawBody('text/csv'), queryInput(ImportQuery), async (c) => { … })
 */
export function rawBody(contentType: string) {
  return describeInput(
    async function rawBodyFollows(_c: unknown, next: () => Promise<void>) {
      await next();
    },
    'raw',
    z.string(),
    contentType,
  );
}

/** The input a handler validates, if it is a described validator. */
export function describedInput(handler: unknown): DescribedInput | undefined {
  return typeof handler === 'function' ? inputs.get(handler) : undefined;
}
