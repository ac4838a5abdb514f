/**
 * @module
 * A rule: "match all / any / none" of a list of conditions (groups nest one more list; a
 * "none" group is an exclusion).
 */
import { useRef } from 'preact/hooks';
import type { Condition, GroupMatch } from '@worker/schema/config';
import type { FieldErrors } from '../lib/issues';
import { newCondition } from '../lib/ruleDraft';
import { t } from '../i18n/catalogue';
import { ConditionEditor } from './ConditionEditor';
import { Field } from './Field';

export interface RuleBuilderProps {
  match: GroupMatch;
  conditions: Condition[];
  onChange: (match: GroupMatch, conditions: Condition[]) => void;
  errors: FieldErrors;
  /** Path of the conditions list in API issues, e.g. `rule.conditions`. */
  path: string;
  depth?: number;
}

export function RuleBuilder({ match, conditions, onChange, errors, path, depth = 0 }: RuleBuilderProps) {
  // Stable row keys: removing a middle condition must not hand its neighbour's half-typed input
  // (kept by the editor) to the row that moves up. Keys follow rows through removals here.
  const keys = useRef<number[]>([]);
  const nextKey = useRef(0);
  while (keys.current.length < conditions.length) keys.current.push(nextKey.current++);
  keys.current.length = conditions.length;
  const replace = (i: number, next: Condition) =>
    onChange(
      match,
      conditions.map((c, j) => (j === i ? next : c)),
    );
  const remove = (i: number) => {
    keys.current.splice(i, 1);
    onChange(
      match,
      conditions.filter((_, j) => j !== i),
    );
  };
  const listError = errors[path];
  return (
    <div class={`rule depth-${depth}`}>
      <Field label={t('segments.match')}>
        {(a) => (
          <select {...a} value={match} onChange={(e) => onChange(e.currentTarget.value as GroupMatch, conditions)}>
            <option value="all">{t('segments.matchAll')}</option>
            <option value="any">{t('segments.matchAny')}</option>
            <option value="none">{t('segments.matchNone')}</option>
          </select>
        )}
      </Field>
      {conditions.length === 0 && <p class="muted">{t('segments.noConditions')}</p>}
      <ol class="conditions">
        {conditions.map((c, i) => (
          <li key={keys.current[i]}>
            <ConditionEditor
              condition={c}
              onChange={(next) => replace(i, next)}
              onRemove={() => remove(i)}
              errors={errors}
              path={`${path}.${i}`}
              depth={depth}
            />
          </li>
        ))}
      </ol>
      {listError && <p class="field-error">{listError}</p>}
      <div class="actions-inline">
        <button type="button" class="btn btn-small" onClick={() => onChange(match, [...conditions, newCondition('trait')])}>
          + {t('segments.addCondition')}
        </button>
        {depth < 1 && (
          <button type="button" class="btn btn-small btn-ghost" onClick={() => onChange(match, [...conditions, newCondition('group')])}>
            + {t('segments.addGroup')}
          </button>
        )}
      </div>
    </div>
  );
}
