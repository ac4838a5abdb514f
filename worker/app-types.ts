/**
 * @module
 * The Hono environment every route shares: bindings, the injected drizzle client, and (on the
 * admin API) the actor the change log records.
 */
import type { Env } from './env';
import type { ActorVars } from './middleware/access';
import type { DbVars } from './middleware/db';

export type App = { Bindings: Env } & DbVars & ActorVars;
