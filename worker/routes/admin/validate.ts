/**
 * @module
 * Body validation for the admin API with the shared zod schemas. The client type sees the
 * schema's *input* (defaults optional) and the handler its *output*; a failure becomes the
 * contract's 400 with per-field `issues`, so the console can show each message next to its field.
 */
import type { z } from 'zod';
import { ApiError, issue, issueParams, type Issue, type Params } from '../../errors';
import { jsonInput } from '../../middleware/json-body';

type RawIssue = { code: string; path: PropertyKey[]; message: string; errors?: RawIssue[][]; [k: string]: unknown };

const typeMismatch = (list: RawIssue[]) => list.some((i) => i.path.length === 1 && i.path[0] === 'type' && i.code === 'invalid_value');

/**
 * A condition is a union of shapes told apart by `type`. When none matches, zod reports one
 * "invalid input" at the condition; the marketer needs the field instead. So when exactly one
 * option has the right `type`, its own issues (e.g. `count`) replace the union's.
 */
export function precise(issues: readonly RawIssue[], base: PropertyKey[] = []): Issue[] {
  return issues.flatMap((raw) => {
    const path = [...base, ...raw.path];
    if (raw.code === 'invalid_union' && raw.errors) {
      const candidates = raw.errors.filter((list) => !typeMismatch(list));
      if (candidates.length === 1) return precise(candidates[0]!, path);
    }
    const clean = path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];
    return [issue(clean, raw.code, raw.message, issueParams(raw))];
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

/**
 * A 400 tied to one field, for checks zod cannot make alone (a variant that must exist, …).
 * Its issue is `custom` with a stable `reason` (and the values the message needs), like the
 * schemas' own refinements, so the console words every field error the same way.
 * @example throw fieldError(['key'], `A segment with key "x" already exists`, 409, {reason: 'duplicate'})
 */
export function fieldError(
  path: (string | number)[],
  message: string,
  status: 400 | 409 = 400,
  params: Params & { reason: string } = { reason: 'invalid' },
): ApiError {
  const code = status === 409 ? params.reason : 'invalid_request';
  return new ApiError(status, code, message, [issue(path, 'custom', message, params)]);
}

/**
 * A 409 with no particular field (e.g. "stop the experiment first"); `code` names the
 * situation and `params` what the console needs to say it (the experiments in the way, …).
 * @example throw conflict('Stop the experiment first', 'in_use', {experiments: ['exp_a']})
 */
export function conflict(message: string, code = 'conflict', params?: Params): ApiError {
  return new ApiError(409, code, message, undefined, undefined, params);
}
