/**
 * @module
 * Every admin configuration write goes through `commitConfig`: the statements plus the
 * config-version bump in ONE D1 batch, so either all of it lands (and every isolate reloads)
 * or none of it does.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../../db/client';
import { bumpConfigVersion } from '../config-store';

/**
 * @example
 *   await commitConfig(db, [db.delete(schema.slots).where(eq(schema.slots.key, key))]);
 */
export async function commitConfig(db: Db, statements: BatchItem<'sqlite'>[]): Promise<void> {
  await db.batch([...statements, bumpConfigVersion(db)] as unknown as [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]]);
}
