/**
 * Helpers for the admin API tests: JSON requests with the admin token, the config stamp
 * (every admin write must bump it; a refused write must not), and one entity's change log.
 */
import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { ADMIN, call, json } from './helpers';

export async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await call(method, `/api${path}`, body, { ...ADMIN, 'content-type': 'application/json' });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function configVersion(): Promise<string> {
  const row = await env.DB.prepare(`SELECT value FROM settings WHERE key = 'config_version'`).first<{ value: string }>();
  return row ? String(JSON.parse(row.value)) : '0';
}

/** A change-log entry as the API answers it; `before`/`after` typed loosely for the tests to read into. */
export interface LoggedChange {
  id: string;
  at: string;
  actor: string;
  entity: string;
  entityId: string;
  action: string;
  before: any;
  after: any;
  restoredFrom: string | null;
}

/** The newest entries for one entity (the log is newest first). */
export async function history(entity: string, entityId: string): Promise<LoggedChange[]> {
  const res = await api<{ items: LoggedChange[] }>('GET', `/changes?entity=${entity}&entityId=${encodeURIComponent(entityId)}&limit=200`);
  expect(res.status).toBe(200);
  return res.body.items;
}

export { json };
