/**
 * @module
 * A change log entry in the marketer's words: who (an email, "admin token"), what ("Segment
 * “Hot leads”"), which fields changed (their names, never keys), simple before/after values,
 * where to edit it, what "undo" will do, and why a restore was refused.
 */
import { changedFields } from '@worker/core/change-log';
import type { Change, ChangeEntity } from '@worker/schema/changes';
import { ApiFailure } from '../api/client';
import { hasText as known, type MessageKey, fmt, lang, t } from '../i18n/catalogue';
import { errorText } from './errors';

/**
 * @example actorLabel('admin-token') // '管理トークン'
 */
export function actorLabel(actor: string): string {
  if (actor === 'admin-token') return t('history.actor.token');
  if (actor.startsWith('service-token:')) return t('history.actor.service', { name: actor.slice('service-token:'.length) });
  return actor;
}

export const entityLabel = (entity: ChangeEntity) => t(`history.entity.${entity}` as MessageKey);

/** The snapshot the entry is about: after it, or before it for a deletion. */
const subject = (c: Pick<Change, 'before' | 'after'>) => ((c.after ?? c.before) as Record<string, unknown> | null) ?? {};

/**
 * What the entry is about, in words: the entity and the name it had.
 * @example entityTitle({entity: 'segment', after: {name: 'ホットリード'}, …}) // 'セグメント「ホットリード」' (ja), 'Segment “ホットリード”' (en)
 */
export function entityTitle(c: Pick<Change, 'entity' | 'before' | 'after'>): string {
  const name = subject(c).name;
  const label = entityLabel(c.entity);
  if (typeof name !== 'string' || !name.trim()) return label;
  return lang.value === 'ja' ? `${label}「${name}」` : `${label} “${name}”`;
}

/** @example joinList(['名前', '条件']) // '名前、条件' (ja), 'name, conditions' (en) */
export const joinList = (items: string[]) => items.join(lang.value === 'ja' ? '、' : ', ');

/** Fields that change as a side effect of another (timestamps), left out of "what changed". */
const SIDE_EFFECTS = new Set(['startedAt', 'stoppedAt', 'disabledReason', 'id']);

/**
 * The names of the fields the entry changed (a creation or deletion changes none worth listing).
 * @example changedFieldNames({action: 'update', before: {name: 'A'}, after: {name: 'B'}}) // ['名前']
 */
export function changedFieldNames(c: Pick<Change, 'action' | 'before' | 'after'>): string[] {
  if (c.before === null || c.after === null) return [];
  const names = changedFields(c.before, c.after)
    .filter((f) => !SIDE_EFFECTS.has(f))
    .map((f) => (known(`history.field.${f}`) ? t(`history.field.${f}` as MessageKey) : t('history.field.other')));
  return [...new Set(names)];
}

/** A value short and simple enough to show as it is (names, switches, numbers, statuses). */
export function valueText(field: string, value: unknown): string | null {
  if (typeof value === 'boolean') return t(value ? 'history.on' : 'history.off');
  // A rotation is logged as a word, never the secret: show the word.
  if (field === 'secret') return value === 'rotated' || value === 'earlier' ? t(`history.secret.${value}`) : null;
  if (field === 'previewStylesheet' && value === null) return '—';
  if (field === 'status' && typeof value === 'string' && known(`status.${value}`)) return t(`status.${value}` as MessageKey);
  if (typeof value === 'number') return fmt.number(value);
  if (typeof value === 'string' && field !== 'html' && value.length <= 80) return value || '—';
  return null;
}

/** Before → after of the simple fields that changed, e.g. 名前: 「A」→「B」. */
export function simpleDiffs(c: Pick<Change, 'before' | 'after'>): { field: string; before: string; after: string }[] {
  if (c.before === null || c.after === null) return [];
  const b = c.before as Record<string, unknown>;
  const a = c.after as Record<string, unknown>;
  return changedFields(b, a)
    .filter((f) => !SIDE_EFFECTS.has(f) && known(`history.field.${f}`))
    .flatMap((f) => {
      const before = valueText(f, b[f]);
      const after = valueText(f, a[f]);
      return before !== null && after !== null ? [{ field: t(`history.field.${f}` as MessageKey), before, after }] : [];
    });
}

/** The console page where the entity is edited. */
export function editorPath(c: Pick<Change, 'entity' | 'entityId' | 'before' | 'after'>): string {
  const s = subject(c);
  const id = encodeURIComponent(c.entityId);
  switch (c.entity) {
    case 'segment':
      return `/admin/segments/${id}`;
    case 'segment_order':
      return '/admin/segments';
    case 'scoring':
      return '/admin/scoring';
    case 'categories':
      return '/admin/categories';
    case 'slot':
      return '/admin/content';
    case 'variant':
      return `/admin/content/${encodeURIComponent(String(s.slot))}/${encodeURIComponent(String(s.segment))}`;
    case 'experiment':
      return `/admin/experiments/${id}`;
    case 'vocabulary':
      return '/admin/vocabulary';
    case 'alert':
    case 'alert_secret':
      return `/admin/alerts/${id}`;
    case 'site':
      return '/admin/settings';
    case 'model':
      return '/admin/models';
  }
}

/**
 * Why an entry has no "undo", or null when it has one: a signing secret's rotation cannot be
 * undone, since the earlier secret was never kept.
 */
export function noUndoText(c: Pick<Change, 'entity'>): string | null {
  return c.entity === 'alert_secret' ? t('history.noUndo.alert_secret') : null;
}

/**
 * What undoing the entry does: delete what it created, bring back what it deleted, or put the
 * version before it back.
 */
export function undoLabel(c: Pick<Change, 'action' | 'before' | 'after'>): string {
  if (c.action === 'restore') return t('history.undo.restore');
  if (c.before === null) return t('history.undo.create');
  if (c.after === null) return t('history.undo.delete');
  return t('history.undo.update');
}

const takesContent = (c: Pick<Change, 'entity' | 'before' | 'after'>, side: unknown) =>
  (c.entity === 'segment' || c.entity === 'slot') &&
  Array.isArray((side as { variants?: unknown } | null)?.variants) &&
  (side as { variants: unknown[] }).variants.length > 0;

/** The question asked before a restore. */
export function confirmText(c: Change, dirty = false): string {
  const name = entityTitle(c);
  const time = fmt.dateTime(c.at);
  let text: string;
  if (c.before === null) text = t('history.confirm.create', { name, content: '' });
  else if (c.after === null)
    text = t('history.confirm.delete', { name, content: takesContent(c, c.before) ? t('history.confirm.content') : '' });
  else text = t('history.confirm.update', { name, time });
  return dirty ? `${text} ${t('history.confirm.dirty')}` : text;
}

/**
 * Why a restore was refused, in the reader's language (the precise sentence for the restore
 * codes, the console's usual words for the editor's own refusals).
 */
export function restoreProblemText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return errorText(err);
  const p = err.params ?? {};
  if (err.code === 'restore_missing') {
    const key = `history.why.restore_missing.${String(p.entity)}`;
    return known(key) ? t(key as MessageKey) : t('problem.restore_missing');
  }
  if (err.code === 'transition') {
    const status = (s: unknown) => (known(`status.${String(s)}`) ? t(`status.${String(s)}` as MessageKey) : String(s));
    return t('history.why.transition', { from: status(p.from), to: status(p.to) });
  }
  if (err.code === 'in_use' && p.entity === 'model' && Array.isArray(p.segments)) {
    return t('history.why.in_use.model', { segments: joinList(p.segments.map(String)) });
  }
  const key = `history.why.${err.code}`;
  return known(key) ? t(key as MessageKey) : errorText(err);
}
