/**
 * @module
 * Entries of the change log with "undo" on each: when, who, what (in names) and which fields
 * changed, with before → after for the simple ones. Undoing asks first, then restores through
 * the history model; a refusal is said next to the entry, in the reader's language.
 */
import { useSignal } from '@preact/signals';
import type { Change } from '@worker/schema/changes';
import {
  actorLabel,
  changedFieldNames,
  confirmText,
  editorPath,
  entityTitle,
  joinList,
  noUndoText,
  restoreProblemText,
  simpleDiffs,
  undoLabel,
} from '../lib/changeText';
import type { History } from '../models/changesModel';
import { fmt, t } from '../i18n/catalogue';
import { announce, confirmAction } from '../models/uiModel';
import { SecretPanel } from './SecretPanel';
import './history.css';

export interface ChangeListProps {
  history: History;
  /** Show what each entry is about and a link to its editor (the global log). */
  showSubject?: boolean;
  /** The editor on screen has unsaved edits (the question says they will be replaced). */
  dirty?: boolean;
  /** Called after a restore, once the console's data is reloaded. */
  onRestored?: (change: Change) => void;
}

function Entry({
  change,
  history,
  showSubject,
  dirty,
  onRestored,
  restoredTime,
}: { change: Change; restoredTime?: string } & ChangeListProps) {
  const problem = useSignal<string | null>(null);
  const fields = changedFieldNames(change);
  const diffs = simpleDiffs(change);
  const busy = history.restoring.value !== null;
  const noUndo = noUndoText(change);
  const undo = async () => {
    problem.value = null;
    if (!(await confirmAction(confirmText(change, dirty), t('history.confirmButton')))) return;
    try {
      await history.restore(change);
      announce(t('history.restored'));
      onRestored?.(change);
    } catch (err) {
      problem.value = restoreProblemText(err);
    }
  };
  return (
    <li class="history-item" data-testid="change" data-change-id={change.id}>
      <div class="history-head">
        <time class="history-when" dateTime={change.at}>
          {fmt.dateTime(change.at)}
        </time>
        <span class="history-who" data-testid="change-actor">
          {actorLabel(change.actor)}
        </span>
        <span class="badge">{t(`history.action.${change.action}`)}</span>
        {showSubject && (
          <a class="history-what" href={editorPath(change)}>
            {entityTitle(change)}
          </a>
        )}
      </div>
      <div class="history-detail">
        {change.action === 'restore' && restoredTime && <div>{t('history.restoreOf', { time: restoredTime })}</div>}
        {fields.length > 0 && <div data-testid="change-fields">{t('history.changed', { fields: joinList(fields) })}</div>}
        {diffs.length > 0 && (
          <ul>
            {diffs.map((d) => (
              <li key={d.field}>
                {d.field}: {d.before} → {d.after}
              </li>
            ))}
          </ul>
        )}
        {problem.value && (
          <p class="banner banner-error history-error" role="alert">
            {problem.value}
          </p>
        )}
      </div>
      <div class="history-actions">
        {noUndo ? (
          <span class="muted small">{noUndo}</span>
        ) : (
          <button type="button" class="btn btn-small" disabled={busy} onClick={undo} data-testid="change-undo">
            {undoLabel(change)}
          </button>
        )}
      </div>
    </li>
  );
}

export function ChangeList(props: ChangeListProps) {
  const { history } = props;
  const items = history.items.value;
  const times = new Map(items.map((c) => [c.id, fmt.dateTime(c.at)]));
  return (
    <div>
      {history.secret.value && (
        <>
          <p class="banner banner-warn">{t('history.secret')}</p>
          <SecretPanel secret={history.secret.value} onDone={() => (history.secret.value = null)} />
        </>
      )}
      {history.status.value === 'error' && (
        <p class="banner banner-error" role="alert">
          {restoreProblemText(history.error.value)}
        </p>
      )}
      {items.length === 0 && history.status.value === 'ready' ? (
        <p class="muted" data-testid="history-empty">
          {t('history.empty')}
        </p>
      ) : (
        <ol class="history-list" data-testid="history">
          {items.map((c) => (
            <Entry key={c.id} change={c} {...props} restoredTime={c.restoredFrom ? times.get(c.restoredFrom) : undefined} />
          ))}
        </ol>
      )}
      {history.next.value && (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => history.more()} disabled={history.status.value === 'loading'}>
          {t('history.more')}
        </button>
      )}
    </div>
  );
}
