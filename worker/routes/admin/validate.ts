/**
 * @module
 * Body validation for the admin API with the shared zod schemas. The client type sees the
 * schema's *input* (defaults optional) and the handler its *output*; a failure becomes the
 * contract's 400 with per-field `issues`, so the console can show each message next to its field.
 */
import type { z } from 'zod';
import { ApiError } from '../../errors';
import { jsonInput } from '../../middleware/json-body';

type RawIssue = { code: string; path: PropertyKey[]; message: string; errors?: RawIssue[][] };

const typeMismatch = (list: RawIssue[]) => list.some((i) => i.path.length === 1 && i.path[0] === 'type' && i.code === 'invalid_value');

/**
 * A condition is a union of shapes told apart by `type`. When none matches, zod reports one
 * "invalid input" at the condition; the marketer needs the field instead. So when exactly one
 * option has the right `type`, its own issues (e.g. `count`) replace the union's.
 */
export function precise(issues: readonly RawIssue[], base: PropertyKey[] = []): { path: (string | number)[]; message: string }[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors) {
      const candidates = issue.errors.filter((list) => !typeMismatch(list));
      if (candidates.length === 1) return precise(candidates[0]!, path);
    }
    return [{ path: path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[], message: issue.message }];
  });
}

/**
 * The shared body reader (64 KB cap, JSON errors as the contract says) with issues placed on
 * the exact field of a rule condition.
 * @example
 *   new Hono<App>().put('/scoring', zjson(ScoringPut), (c) => { const body = c.req.valid('json'); … })
 */
export function zjson<S extends z.ZodType>(schema: S) {
  return jsonInput(schema, (error) => precise(error.issues as unknown as RawIssue[]));
}

/** A 400 tied to one field, for checks zod cannot make alone (a variant that must exist, …). */
export function fieldError(path: (string | number)[], message: string, status: 400 | 409 = 400): ApiError {
  return new ApiError(status, status === 409 ? 'conflict' : 'invalid_request', message, [{ path, message }]);
}

/** A 409 with no particular field (e.g. "stop the experiment first"). */
export function conflict(message: string): ApiError {
  return new ApiError(409, 'conflict', message);
}
