/**
 * @module
 * One row of an editable rule table (points table, fit points, page categories): cells that are
 * labelled fields with their errors, an optional on/off switch and a remove button, so every
 * table of rules reads, tabs and announces the same way.
 *
 * @example
 *   <EditRow label={r.id} enabled={r.enabled} onEnabled={(on) => update(i, { enabled: on })} onRemove={() => remove(i)}>
 *     <TextCell label="ID" error={e[`rules.${i}.id`]} class="mono input-short" value={r.id} onValue={(id) => update(i, { id })} />
 *     <NumberCell label="Points" error={e[`rules.${i}.points`]} value={r.points} onValue={(points) => update(i, { points })} />
 *   </EditRow>
 */
import type { ComponentChildren, HTMLAttributes } from 'preact';
import { t } from '../i18n/catalogue';
import { Field, type FieldControlProps } from './Field';

export interface EditRowProps extends Omit<HTMLAttributes<HTMLTableRowElement>, 'label'> {
  /** What the row is called in its remove button ("Remove fit_1"). */
  label: string;
  /** With `onEnabled`, a switch cell before the remove button. */
  enabled?: boolean | undefined;
  onEnabled?: (on: boolean) => void;
  onRemove?: () => void;
  children: ComponentChildren;
}

export function EditRow({ label, enabled, onEnabled, onRemove, children, ...row }: EditRowProps) {
  return (
    <tr {...row}>
      {children}
      {onEnabled && (
        <td>
          <label class="check">
            <input type="checkbox" checked={enabled !== false} onChange={(e) => onEnabled(e.currentTarget.checked)} />
            <span class="sr-only">{t('common.enabled')}</span>
          </label>
        </td>
      )}
      {onRemove && (
        <td>
          <button type="button" class="btn btn-icon btn-ghost" aria-label={`${t('common.remove')} ${label}`} onClick={onRemove}>
            ×
          </button>
        </td>
      )}
    </tr>
  );
}

export interface CellProps {
  label: string;
  error?: string | undefined;
  help?: string | undefined;
  children: (control: FieldControlProps) => ComponentChildren;
}

/** A table cell holding one labelled control (the label is for screen readers; the column says it). */
export function Cell({ label, error, help, children }: CellProps) {
  return (
    <td>
      <Field label={label} hideLabel error={error} help={help}>
        {children}
      </Field>
    </td>
  );
}

interface InputCellProps {
  label: string;
  error?: string | undefined;
  name?: string;
  class?: string;
  list?: string;
}

/** A text cell. @example <TextCell label="URL pattern" class="mono" value={r.pattern} onValue={(pattern) => update(i, { pattern })} /> */
export function TextCell({ value, onValue, ...p }: InputCellProps & { value: string; onValue: (value: string) => void }) {
  return (
    <Cell label={p.label} error={p.error}>
      {(a) => <input {...a} name={p.name} class={p.class} list={p.list} value={value} onInput={(e) => onValue(e.currentTarget.value)} />}
    </Cell>
  );
}

/**
 * A whole-number field. What is typed stays a number; an empty box is NaN (for the form's check
 * to name), or null where empty means "none" (`empty: 'null'`, a daily cap). In a table, use
 * `NumberCell`.
 */
export function NumberField<E extends 'nan' | 'null' = 'nan'>({
  value,
  onValue,
  min,
  empty,
  hideLabel,
  ...p
}: InputCellProps & {
  value: number | null;
  onValue: (value: E extends 'null' ? number | null : number) => void;
  min?: number;
  empty?: E;
  hideLabel?: boolean;
}) {
  const read = (s: string) => (s.trim() === '' ? (empty === 'null' ? null : Number.NaN) : Number(s));
  return (
    <Field label={p.label} error={p.error} hideLabel={hideLabel}>
      {(a) => (
        <input
          {...a}
          type="number"
          name={p.name}
          class={p.class ?? 'input-num'}
          min={min}
          value={value === null || Number.isNaN(value) ? '' : value}
          onInput={(e) => onValue(read(e.currentTarget.value) as E extends 'null' ? number | null : number)}
        />
      )}
    </Field>
  );
}

/** A whole-number cell (see `NumberField`). */
export function NumberCell<E extends 'nan' | 'null' = 'nan'>(props: Parameters<typeof NumberField<E>>[0]) {
  return (
    <td>
      <NumberField {...props} hideLabel />
    </td>
  );
}

export interface EditTableProps {
  /** The column headings of the row's own cells. */
  columns: ComponentChildren[];
  /** Whether rows have the on/off switch column. */
  switches?: boolean;
  id?: string;
  children: ComponentChildren;
}

/** The table around `EditRow`s: headings, the switch column, the (unlabelled) remove column. */
export function EditTable({ columns, switches, id, children }: EditTableProps) {
  return (
    <div class="table-wrap">
      <table class="table" id={id}>
        <thead>
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
            {switches && <th scope="col">{t('common.enabled')}</th>}
            <th scope="col">
              <span class="sr-only">{t('common.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
