/**
 * @module
 * One entity's change history, at the foot of its editor: folded until opened (then loaded),
 * each change with "undo". After a restore the editor is told to start again from the restored
 * version.
 */
import type { Change, ChangeEntity } from '@worker/schema/changes';
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { createHistory } from '../models/changesModel';
import { t } from '../i18n/catalogue';
import { ChangeList } from './ChangeList';

export interface ChangeHistoryProps {
  /**
   * null: every entry about this id, whatever its entity (an alert's history also lists the
   * rotations of its signing secret, logged under the same id).
   */
  entity: ChangeEntity | null;
  /** The entity's key or id; the singletons' fixed id (`scoring`, `categories`, `vocabulary`, `site`). */
  entityId: string;
  dirty?: boolean;
  onRestored?: (change: Change) => void;
}

export function ChangeHistory({ entity, entityId, dirty, onRestored }: ChangeHistoryProps) {
  const history = useMemo(() => createHistory(entity ? { entity, entityId } : { entityId }), [entity, entityId]);
  const panel = useRef<HTMLDetailsElement>(null);
  /** An open panel shows its history: loaded the first time it is seen open. */
  const loadIfOpen = () => {
    if (panel.current?.open && history.status.value === 'idle') void history.reload();
  };
  // Opened before the editor knew its entity (a quick click while it loads), the panel gets a new
  // history when it does, with no toggle to load it: load it here, or it stays empty.
  useEffect(loadIfOpen, [history]);
  return (
    <details ref={panel} class="card history-panel" data-testid="change-history" onToggle={loadIfOpen}>
      <summary>{t('history.title')}</summary>
      {history.status.value === 'loading' && history.items.value.length === 0 ? (
        <p class="muted">{t('common.loading')}</p>
      ) : (
        <ChangeList history={history} dirty={dirty} onRestored={onRestored} />
      )}
    </details>
  );
}
