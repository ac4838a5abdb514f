/**
 * @module
 * The typed admin API client: `hc<AdminApi>` over the worker's own route types, so a changed
 * route or schema breaks this build. `unwrap` turns a response into its typed body, or throws
 * an `ApiFailure` carrying the contract's error (with per-field `issues`).
 */
import { hc } from 'hono/client';
import type { AdminApi } from '@worker/routes/admin';
import { signOut, token } from '../models/authModel';

export const api = hc<AdminApi>('/api', {
  headers: (): Record<string, string> => (token.value ? { authorization: `Bearer ${token.value}` } : {}),
});

/** One field's problem: the API's stable code and limits (the console words it; `message` is English). */
export interface Issue {
  path: (string | number)[];
  code: string;
  params?: Record<string, unknown>;
  message?: string;
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

interface Reply {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/** The body type of a successful reply (status 2xx). */
export type Body<R> = R extends { json(): Promise<infer T> } ? T : never;

/**
 * @example const { segments } = await unwrap(api.segments.$get());
 */
export async function unwrap<R extends Reply>(request: Promise<R>): Promise<Body<R>> {
  let res: R;
  try {
    res = await request;
  } catch {
    throw new ApiFailure(0, 'network', 'network');
  }
  if (res.status === 204) return undefined as Body<R>;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string; issues?: Issue[]; params?: Record<string, unknown> } } | null)
      ?.error;
    if (res.status === 401) signOut('expired');
    throw new ApiFailure(
      res.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${res.status}`,
      error?.issues ?? [],
      error?.params ?? {},
    );
  }
  return body as Body<R>;
}
