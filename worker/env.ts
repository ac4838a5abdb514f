/**
 * @module
 * The worker's bindings, typed once (wrangler.toml + secrets in .dev.vars / `wrangler secret put`).
 */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Bearer token of the admin console and admin API. */
  ADMIN_TOKEN: string;
  /** Bearer token of the server-to-server API (/v1/server/*). */
  SERVER_API_KEY: string;
  /** HS256 secret the site's own server signs identify tokens with. */
  IDENTIFY_SECRET: string;
  /** Signs short-lived "preview as segment" tokens; falls back to ADMIN_TOKEN when unset. */
  PREVIEW_SECRET?: string;
  /** Comma-separated allowed browser origins for the public API; "*" = any (local dev only). */
  ALLOWED_ORIGINS?: string;
  /** Workers rate limiting: requests per visitor id, and per client address (not stored). */
  RL_VISITOR?: RateLimit;
  RL_CLIENT?: RateLimit;
  /** "true" serves /demo/api/* (demo identify tokens). Never in production. */
  DEMO_MODE?: string;
}

export type AppEnv = { Bindings: Env };
