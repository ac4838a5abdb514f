declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ASSETS: Fetcher;
    ADMIN_TOKEN: string;
    SERVER_API_KEY: string;
    IDENTIFY_SECRET: string;
    PREVIEW_SECRET?: string;
    ALLOWED_ORIGINS?: string;
    DEMO_MODE?: string;
    LOCAL_DEV?: string;
    DEBUG_TIMING?: string;
    /** wrangler.toml's [vars] as JSON: what a deploy with nothing changed runs with. */
    PRODUCTION_VARS: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}

declare namespace Cloudflare {
  interface GlobalProps {
    mainModule: typeof import('../../worker/index');
  }
}
