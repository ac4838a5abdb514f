/**
 * @module
 * The contract's error shape: `{"error": {"code", "message", "params"?, "issues"?}}` for every
 * failure. `code` is stable (the console words its message from it, in the reader's language);
 * `message` is English for API users; `params` carry the values a message needs (a limit, the
 * experiments in the way). Each validation issue is `{path, code, params?, message}` with zod's
 * issue codes (`too_small` + `{origin, minimum}`, …) or `custom` + `{reason, …}` for the checks
 * zod cannot make alone. Routes throw `ApiError`; `onError` renders it (and hides anything
 * unexpected behind a 500).
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';

export type Params = Record<string, unknown>;

/** One problem with one field: where, which rule (stable code), its limits, and English words. */
export interface Issue {
  path: (string | number)[];
  code: string;
  params?: Params;
  message: string;
}

export interface ErrorBody {
  error: { code: string; message: string; params?: Params; issues?: unknown[] };
}

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: unknown[],
    readonly headers?: Record<string, string>,
    readonly params?: Params,
  ) {
    super(message);
  }
}

/** The parts of a zod issue a message needs (never the input: it may be large or private). */
const PARAM_FIELDS = ['origin', 'minimum', 'maximum', 'inclusive', 'exact', 'expected', 'format', 'values', 'divisor', 'keys'] as const;

/**
 * The stable part of a zod issue: its code and the limits that explain it.
 * @example issueParams({code: 'too_small', origin: 'string', minimum: 1, inclusive: true, …}) // {origin: 'string', minimum: 1, inclusive: true}
 */
export function issueParams(issue: Record<string, unknown>): Params | undefined {
  if (issue.code === 'custom') return (issue.params as Params | undefined) ?? undefined;
  const out: Params = {};
  for (const f of PARAM_FIELDS) {
    const v = issue[f];
    if (v === undefined) continue;
    out[f] = typeof v === 'bigint' ? Number(v) : v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Builds one issue; `params` is left out when there are none. */
export function issue(path: (string | number)[], code: string, message: string, params?: Params): Issue {
  return params ? { path, code, params, message } : { path, code, message };
}

const cleanPath = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'symbol' ? String(p) : p)) as (string | number)[];

/** Turns zod issues into `{path, code, params?, message}` a form can show next to its field. */
export function zodIssues(error: ZodError): Issue[] {
  return error.issues.map((i) => issue(cleanPath(i.path), i.code, i.message, issueParams(i as unknown as Record<string, unknown>)));
}

export function invalid(error: ZodError, message = 'Invalid request body'): ApiError {
  return new ApiError(400, 'invalid_request', message, zodIssues(error));
}

export function notFound(what: string): ApiError {
  return new ApiError(404, 'not_found', `${what} not found`, undefined, undefined, { entity: what.toLowerCase() });
}

export function errorBody(code: string, message: string, issues?: unknown[], params?: Params): ErrorBody {
  return { error: { code, message, ...(params ? { params } : {}), ...(issues ? { issues } : {}) } };
}

export function onError(err: Error, c: Context): Response {
  if (err instanceof ApiError) {
    return c.json(errorBody(err.code, err.message, err.issues, err.params), err.status, err.headers);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? 'payload_too_large' : status === 401 ? 'unauthorized' : 'http_error';
    return c.json(errorBody(code, err.message || 'Request failed'), status);
  }
  console.error('unhandled error', err);
  return c.json(errorBody('internal_error', 'Something went wrong on our side'), 500);
}
