/**
 * Helpers for the admin API tests: JSON requests with the admin token, and the config stamp
 * (every admin write must bump it; a refused write must not).
 */
import { env } from 'cloudflare:workers';
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

export { json };
