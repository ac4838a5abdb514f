/**
 * @module
 * Every admin configuration write goes through `commitConfig`: the statements, their change-log
 * entries and the config-version bump in ONE D1 batch, so either all of it lands (and every
 * isolate reloads, and the log says who did it) or none of it does.
 */
import type { BatchItem } from 'drizzle-orm/batch';
import { sameJson } from '../../core/change-log';
import { schema } from '../../db/client';
import type { Change } from '../../schema/changes';
import { bumpConfigVersion, invalidateConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { type ChangeEntry, changeRow, toChange } from './changes';

type Batch = [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

/** The log rows of a batch. A save that changes nothing (the same form saved twice) is not worth a line. */
function logRows(changes: ChangeEntry[]) {
  const at = Date.now();
  return changes.filter((e) => e.action === 'restore' || !sameJson(e.before, e.after)).map((entry, i) => changeRow(entry, at, i));
}

/**
 * The statements and their log entries in one batch, without a version bump: for console data
 * the visitor's path never reads (display names).
 * @example await commitLogged(c.var.svc, [vocabularyWrite(db, names)], [logChange(c, 'vocabulary', 'vocabulary', before, names)]);
 */
export async function commitLogged(
  { db }: Pick<ServiceContext, 'db'>,
  statements: BatchItem<'sqlite'>[],
  changes: ChangeEntry[],
): Promise<Change[]> {
  const rows = logRows(changes);
  const all = [...statements, ...rows.map((r) => db.insert(schema.changes).values(r))];
  if (all.length) await db.batch(all as unknown as Batch);
  return rows.map(toChange);
}

/**
 * Returns the log entries written.
 * @example
 *   await commitConfig(c.var.svc, slotWrites.delete(db, key), [logChange(c, 'slot', key, before, null)]);
 */
export async function commitConfig(
  { db }: Pick<ServiceContext, 'db'>,
  statements: BatchItem<'sqlite'>[],
  changes: ChangeEntry[] = [],
): Promise<Change[]> {
  const rows = logRows(changes);
  try {
    await db.batch([...statements, ...rows.map((r) => db.insert(schema.changes).values(r)), bumpConfigVersion(db)] as unknown as Batch);
  } finally {
    // Again once the batch is over: a request that loaded the configuration while it ran cached
    // what D1 held before it (the generation check in config-store refuses to keep that).
    invalidateConfig();
  }
  return rows.map(toChange);
}
