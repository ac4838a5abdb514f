/**
 * @module
 * The worker's bindings, typed once (wrangler.toml + secrets in .dev.vars / `wrangler secret put`).
 */
import type { AuthThrottle } from './services/auth-throttle';

export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Bearer token of the admin console and admin API. */
  ADMIN_TOKEN: string;
  /** Bearer token of the server-to-server API (/v1/server/*). */
  SERVER_API_KEY: string;
  /** HS256 secret the site's own server signs identify tokens with. */
  IDENTIFY_SECRET: string;
  /** Signs short-lived "preview as segment" tokens; previews answer 503 while it is unset. */
  PREVIEW_SECRET?: string;
  /** Comma-separated allowed browser origins for the public API; "*" = any, honoured in local dev only. */
  ALLOWED_ORIGINS?: string;
  /** "true" only in `.dev.vars` (local dev, never deployed): allows "*" origins and short dev secrets. */
  LOCAL_DEV?: string;
  /** "true" adds a `Server-Timing` header (time and D1 statements) to API responses: tests and bench. */
  DEBUG_TIMING?: string;
  /** Workers rate limiting: requests per visitor id, and per client address (not stored). */
  RL_VISITOR?: RateLimit;
  RL_CLIENT?: RateLimit;
  /** Failed bearer-token attempts per client (services/auth-throttle.ts). */
  AUTH_THROTTLE: DurableObjectNamespace<AuthThrottle>;
  /** "true" serves /demo/api/* (demo identify tokens). Never in production. */
  DEMO_MODE?: string;
}

export type AppEnv = { Bindings: Env };
