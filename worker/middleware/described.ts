/**
 * @module
 * Which zod schema a validating middleware checks, kept beside the middleware itself, so the
 * OpenAPI document (worker/openapi.ts) is built from the very schemas the routes validate
 * with: a route that changes its schema changes its documentation in the same edit.
 */
import type { MiddlewareHandler } from 'hono';
import type { z } from 'zod';

export type InputTarget = 'json' | 'query';

export interface DescribedInput {
  target: InputTarget;
  schema: z.ZodType;
}

const inputs = new WeakMap<object, DescribedInput>();

/**
 * Marks `middleware` as validating `target` with `schema`; returns the middleware unchanged.
 * @example
 *   return describeInput(validateJsonBody, 'json', schema);
 */
export function describeInput<M extends MiddlewareHandler<any, any, any>>(middleware: M, target: InputTarget, schema: z.ZodType): M {
  inputs.set(middleware, { target, schema });
  return middleware;
}

/** The input a handler validates, if it is a described validator. */
export function describedInput(handler: unknown): DescribedInput | undefined {
  return typeof handler === 'function' ? inputs.get(handler) : undefined;
}
