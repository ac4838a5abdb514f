/**
 * @module
 * The change log in the console: a history (one entity's, or everything's, newest first, by
 * pages) and restoring an earlier version. After a restore the console reloads what the change
 * touched (the configuration, the display names, the alerts), so every screen shows the
 * restored version; the editor on screen is told to start again from it.
 */
import { signal } from '@preact/signals';
import type { Change, ChangeEntity, RestoreResult } from '@worker/schema/changes';
import { api, unwrap } from '../api/client';
import { createPagedList } from '../lib/pages';
import { loadAlerts } from './alertsModel';
import { loadConfig } from './configModel';
import { loadVocabulary } from './vocabularyModel';

const PAGE = 20;

export interface HistoryFilter {
  entity?: ChangeEntity;
  entityId?: string;
}

/** Brings the console's copies up to date with what a restore wrote. */
export async function reloadAfterRestore(entity: ChangeEntity): Promise<void> {
  if (entity === 'vocabulary') return loadVocabulary();
  await loadConfig();
  if (entity === 'alert') await loadAlerts();
}

/**
 * A page-by-page history.
 * @example const h = createHistory({entity: 'segment', entityId: 'hot_lead'}); await h.reload();
 */
export function createHistory(initial: HistoryFilter = {}) {
  const list = createPagedList(initial, async (f: HistoryFilter, cursor: string | null) => {
    const query: Record<string, string> = { limit: String(PAGE) };
    if (f.entity) query.entity = f.entity;
    if (f.entityId) query.entityId = f.entityId;
    if (cursor) query.cursor = cursor;
    const body = await unwrap(api.changes.$get({ query }));
    return { items: body.items as Change[], next: body.nextCursor };
  });
  /** The id of the change being restored, while it is. */
  const restoring = signal<string | null>(null);
  /** A re-created alert's new signing secret (shown once). */
  const secret = signal<string | null>(null);

  return {
    ...list,
    restoring,
    secret,
    /** Puts the change's `before` back; throws the API's refusal (an `ApiFailure`). */
    async restore(change: Change): Promise<RestoreResult> {
      restoring.value = change.id;
      try {
        const result = (await unwrap(api.changes[':id'].restore.$post({ param: { id: change.id } }))) as RestoreResult;
        if (result.secret) secret.value = result.secret;
        await reloadAfterRestore(change.entity);
        await list.reload();
        return result;
      } finally {
        restoring.value = null;
      }
    },
  };
}

export type History = ReturnType<typeof createHistory>;
