/**
 * @module
 * The change log: entries built from a route's before/after (`logChange`), the statement that
 * stores one (committed in the same D1 batch as the change, see commit.ts), and the newest-first
 * list with a keyset cursor.
 */
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { schema } from '../../db/client';
import { actionOf, decodeChangeCursor, encodeChangeCursor } from '../../core/change-log';
import type { AlertSnapshot, SecretSnapshot } from '../../core/change-restore';
import { toAlert } from '../alerts/admin';
import type { ServiceContext } from '../context';
import { ADMIN_TOKEN_ACTOR, type Change, type ChangeEntity, type ChangePage, type ChangeQuery } from '../../schema/changes';

/** A change about to be committed (its id and time are given at commit). */
export type ChangeEntry = Omit<Change, 'id' | 'at' | 'restoredFrom'> & { restoredFrom?: string | null };

/** What a route needs from its context: who is acting (set by the access middleware). */
export interface ActorContext {
  var: { actor?: string };
}

/**
 * The log entry of a create (before null), update or delete (after null) made by this request.
 * @example await commitConfig(c.var.svc, statements, [logChange(c, 'segment', segment.key, null, segment)]);
 */
export function logChange(c: ActorContext, entity: ChangeEntity, entityId: string, before: unknown, after: unknown): ChangeEntry {
  return {
    actor: c.var.actor || ADMIN_TOKEN_ACTOR,
    entity,
    entityId,
    action: actionOf(before, after),
    before: before ?? null,
    after: after ?? null,
  };
}

/**
 * Ids sort like the entries (time, then position in the batch), so newest-first is also
 * id-descending within one instant.
 */
function changeId(at: number, index: number): string {
  const random = crypto.randomUUID().replace(/-/g, '').slice(0, 8);
  return `chg_${at.toString(36)}${index.toString(36).padStart(3, '0')}${random}`;
}

type ChangeRow = typeof schema.changes.$inferSelect;

/** The row of one entry at `at` (ms), `index` its position among the batch's entries. */
export function changeRow(entry: ChangeEntry, at: number, index: number): ChangeRow {
  return {
    id: changeId(at, index),
    at,
    actor: entry.actor,
    entity: entry.entity,
    entityId: entry.entityId,
    action: entry.action,
    // JSON columns store SQL NULL for null, so "did not exist" reads back as null.
    before: entry.before ?? null,
    after: entry.after ?? null,
    restoredFrom: entry.restoredFrom ?? null,
  };
}

export function toChange(r: ChangeRow): Change {
  return {
    id: r.id,
    at: new Date(r.at).toISOString(),
    actor: r.actor,
    entity: r.entity,
    entityId: r.entityId,
    action: r.action,
    before: r.before ?? null,
    after: r.after ?? null,
    restoredFrom: r.restoredFrom ?? null,
  };
}

/**
 * Newest first. The cursor is the last entry read, so entries written while someone pages never
 * shift a page (they are newer than the first page).
 * @example const { items, nextCursor } = await listChanges(c.var.svc, {entity: 'segment', entityId: 'hot_lead', limit: 20});
 */
export async function listChanges({ db }: Pick<ServiceContext, 'db'>, q: ChangeQuery): Promise<ChangePage> {
  const t = schema.changes;
  const cursor = q.cursor ? decodeChangeCursor(q.cursor) : null;
  const rows = await db
    .select()
    .from(t)
    .where(
      and(
        q.entity ? eq(t.entity, q.entity) : undefined,
        q.entityId ? eq(t.entityId, q.entityId) : undefined,
        cursor ? or(lt(t.at, cursor.at), and(eq(t.at, cursor.at), lt(t.id, cursor.id))) : undefined,
      ),
    )
    .orderBy(desc(t.at), desc(t.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { items: page.map(toChange), nextCursor: rows.length > q.limit && last ? encodeChangeCursor({ at: last.at, id: last.id }) : null };
}

/** @example const change = await changeById(c.var.svc, 'chg_…'); // null when there is none */
export async function changeById({ db }: Pick<ServiceContext, 'db'>, id: string): Promise<Change | null> {
  const row = await db.select().from(schema.changes).where(eq(schema.changes.id, id)).get();
  return row ? toChange(row) : null;
}

/** An alert as the log keeps it: as the API shows it (never the signing secret), without its timestamps. */
export function alertSnapshot(r: typeof schema.alerts.$inferSelect): AlertSnapshot {
  const { createdAt: _created, updatedAt: _updated, ...snapshot } = toAlert(r);
  return snapshot;
}

/**
 * A signing-secret rotation as the log keeps it: the alert's name and the word "rotated" (after)
 * or "earlier" (before), never a secret.
 * @example logChange(c, 'alert_secret', id, secretRotation(name, 'earlier'), secretRotation(name, 'rotated'))
 */
export const secretRotation = (name: string, secret: SecretSnapshot['secret']): SecretSnapshot => ({ name, secret });
