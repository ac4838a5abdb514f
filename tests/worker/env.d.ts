/** Test-only bindings (vitest.config.ts), on top of the generated worker/worker-configuration.d.ts. */
declare namespace Cloudflare {
  interface Env {
    /** wrangler.toml's [vars] as JSON: what a deploy with nothing changed runs with. */
    PRODUCTION_VARS: string;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    /** The optional event archive (worker/services/retention/archive.ts), bound for the tests. */
    ARCHIVE: R2Bucket;
  }
}
