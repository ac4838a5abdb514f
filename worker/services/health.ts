/**
 * @module
 * The deep health check (`GET /healthz?storage`): one D1 round trip, so a deployment whose
 * database binding is wrong or unreachable says so before a visitor's page does (a decide would
 * only fall back to default content). `npm run bench` also uses it as the floor of any request
 * that reads D1 (docs/storage.md).
 */
import type { ServiceContext } from './context';

/** How long the check waits on D1 before answering 503 (a monitor polls it again). */
export const HEALTH_DEADLINE_MS = 2000;

/**
 * Resolves once D1 has answered a statement.
 * @example await storageStep('health check', storageAnswers(backgroundContext(env)), HEALTH_DEADLINE_MS);
 */
export async function storageAnswers({ d1 }: Pick<ServiceContext, 'd1'>): Promise<void> {
  await d1.prepare('SELECT 1 AS one').first();
}
