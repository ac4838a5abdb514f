/**
 * @module
 * The Hono environment every route shares: bindings plus the injected drizzle client.
 */
import type { Env } from './env';
import type { DbVars } from './middleware/db';

export type App = { Bindings: Env } & DbVars;
