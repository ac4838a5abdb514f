/**
 * @module
 * The server API client: member events (`/v1/server/collect`), CRM traits and erasure
 * (`/v1/server/members/:id`), with `Authorization: Bearer SERVER_API_KEY`. Any non-2xx answer
 * throws a `DashiwakeError` carrying the edge's error code, issues and `Retry-After`.
 */
import type { ServerEvent, Traits } from './types';

export interface ServerClientOptions {
  /** The edge's origin, e.g. `https://edge.example.co.jp`. */
  endpoint: string;
  /** The deployment's SERVER_API_KEY. */
  apiKey: string;
  /** Defaults to the global `fetch` (Node ≥ 18, Workers, Deno, Bun). */
  fetch?: typeof fetch;
}

export interface CollectResult {
  accepted: number;
  duplicates: number;
  rejected: { index: number; error: string }[];
  /** The member's segment after these events, or null. */
  segment: string | null;
}

export interface Issue {
  path: (string | number)[];
  code?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** A refused or failed request: `status`, the edge's stable `code`, per-field `issues`. */
export class DashiwakeError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
    /** Seconds to wait before retrying (429, 503), when the edge said so. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'DashiwakeError';
  }
}

/**
 * @example
 *   const dw = createServerClient({ endpoint: 'https://edge.example.co.jp', apiKey: process.env.DW_SERVER_KEY! });
 *   await dw.collect('m-42', [{ id: 'seminar-dx-2026-m-42', type: 'seminar_attend', props: { seminar: 'dx-2026' } }]);
 */
export function createServerClient(options: ServerClientOptions) {
  const base = options.endpoint.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await doFetch(`${base}/v1/server${path}`, {
      method,
      headers: { authorization: `Bearer ${options.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    let data: any = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON (a proxy's error page): reported below with the status.
    }
    if (!res.ok) {
      const retry = Number(res.headers.get('retry-after'));
      throw new DashiwakeError(
        res.status,
        data?.error?.code ?? 'http_error',
        data?.error?.message ?? `HTTP ${res.status}`,
        data?.error?.issues ?? [],
        Number.isFinite(retry) && retry > 0 ? retry : null,
      );
    }
    return data as T;
  }

  const memberPath = (memberId: string) => `/members/${encodeURIComponent(memberId)}`;

  return {
    /** Sends up to 50 events for a member (email opens, seminar attendance, imports). Safe to retry: ids dedupe. */
    collect(memberId: string, events: ServerEvent[]): Promise<CollectResult> {
      const wire = events.map((e) => ({ ...e, at: e.at instanceof Date ? e.at.toISOString() : e.at }));
      return request<CollectResult>('POST', '/collect', { memberId, events: wire });
    },
    /** Merges traits into the member (CRM sync); returns the member's traits after the merge. */
    upsertTraits(memberId: string, traits: Traits): Promise<{ memberId: string; traits: Traits }> {
      return request('PUT', memberPath(memberId), { traits });
    },
    /** Erases the member and everything recorded about it (APPI / GDPR). */
    erase(memberId: string): Promise<void> {
      return request<void>('DELETE', memberPath(memberId));
    },
  };
}

export type ServerClient = ReturnType<typeof createServerClient>;
