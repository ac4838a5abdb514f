// Applies the drizzle-kit migrations to this test file's isolated D1 before its tests run.
// applyD1Migrations records what it applied in d1_migrations, so running it again is a no-op.
import { applyD1Migrations } from 'cloudflare:test';
import { env } from 'cloudflare:workers';

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
