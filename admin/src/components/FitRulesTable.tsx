/**
 * @module
 * Fit points on the scoring screen: rules that give points for an attribute (役職 = 部長 +15,
 * 業種 ∈ {IT, SaaS} +10). Part of the scoring form; errors come keyed `fit.<row>.<field>`.
 */
import { useState } from 'preact/hooks';
import type { FitRule, TraitOp } from '@worker/schema/config';
import type { FieldErrors } from '../lib/issues';
import { isListOp, parseTraitValue, takesNoValue, traitValueText } from '../lib/ruleDraft';
import { COMMON_TRAITS } from '../lib/vocab';
import { addFitRule, fitRules, removeFitRule, updateFitRule, withFitOp } from '../models/fitModel';
import { t } from '../models/langModel';
import { Field } from './Field';

const OPS: TraitOp[] = ['eq', 'neq', 'in', 'not_in', 'gte', 'gt', 'lte', 'lt', 'contains', 'exists', 'not_exists'];
const intOrNaN = (s: string) => (s.trim() === '' ? NaN : Number(s));

function FitRow({ r, i, errors }: { r: FitRule; i: number; errors: FieldErrors }) {
  const p = `fit.${i}`;
  // The typed text is kept while the marketer edits ("IT, " is not yet a list of two).
  const [text, setText] = useState(traitValueText({ type: 'trait', trait: r.trait, op: r.op, value: r.value }));
  return (
    <tr data-fit-rule={r.id}>
      <td>
        <Field label={t('scoring.ruleId')} hideLabel error={errors[`${p}.id`]}>
          {(a) => (
            <input
              {...a}
              name="fit-id"
              class="mono input-short"
              value={r.id}
              onInput={(e) => updateFitRule(i, { id: e.currentTarget.value })}
            />
          )}
        </Field>
      </td>
      <td>
        <Field label={t('fit.trait')} hideLabel error={errors[`${p}.trait`]}>
          {(a) => (
            <input
              {...a}
              name="fit-trait"
              class="input-short"
              list="dw-fit-traits"
              value={r.trait}
              onInput={(e) => updateFitRule(i, { trait: e.currentTarget.value.trim() })}
            />
          )}
        </Field>
      </td>
      <td>
        <Field label={t('cond.operator')} hideLabel error={errors[`${p}.op`]}>
          {(a) => (
            <select {...a} name="fit-op" value={r.op} onChange={(e) => updateFitRule(i, withFitOp(r, e.currentTarget.value as TraitOp))}>
              {OPS.map((op) => (
                <option key={op} value={op}>
                  {t(`op.${op}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </td>
      <td>
        {!takesNoValue(r.op) && (
          <Field label={t('cond.value')} hideLabel error={errors[`${p}.value`]} help={isListOp(r.op) ? t('cond.valuesHelp') : undefined}>
            {(a) => (
              <input
                {...a}
                name="fit-value"
                class="input-short"
                value={text}
                onInput={(e) => {
                  setText(e.currentTarget.value);
                  updateFitRule(i, { value: parseTraitValue(e.currentTarget.value, r.op) });
                }}
              />
            )}
          </Field>
        )}
      </td>
      <td>
        <Field label={t('scoring.points')} hideLabel error={errors[`${p}.points`]}>
          {(a) => (
            <input
              {...a}
              name="fit-points"
              type="number"
              class="input-num"
              value={Number.isNaN(r.points) ? '' : r.points}
              onInput={(e) => updateFitRule(i, { points: intOrNaN(e.currentTarget.value) })}
            />
          )}
        </Field>
      </td>
      <td>
        <label class="check">
          <input type="checkbox" checked={r.enabled !== false} onChange={(e) => updateFitRule(i, { enabled: e.currentTarget.checked })} />
          <span class="sr-only">{t('common.enabled')}</span>
        </label>
      </td>
      <td>
        <button type="button" class="btn btn-icon btn-ghost" aria-label={`${t('common.remove')} ${r.id}`} onClick={() => removeFitRule(i)}>
          ×
        </button>
      </td>
    </tr>
  );
}

export interface FitRulesTableProps {
  errors: FieldErrors;
}

export function FitRulesTable({ errors }: FitRulesTableProps) {
  const rows = fitRules.value;
  return (
    <div id="fit-rules">
      <h2>{t('fit.title')}</h2>
      <p class="muted">{t('fit.intro')}</p>
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('scoring.ruleId')}</th>
                <th scope="col">{t('fit.trait')}</th>
                <th scope="col">{t('cond.operator')}</th>
                <th scope="col">{t('cond.value')}</th>
                <th scope="col">{t('scoring.points')}</th>
                <th scope="col">{t('common.enabled')}</th>
                <th scope="col">
                  <span class="sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r, i) => (
                // Rows are keyed by position, like the points table: ids are being edited.
                <FitRow key={i} r={r} i={i} errors={errors} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {errors.fit && <p class="field-error">{errors.fit}</p>}
      <datalist id="dw-fit-traits">
        {COMMON_TRAITS.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <div class="actions-inline" style="margin-top: .6rem">
        <button type="button" class="btn btn-small" onClick={addFitRule}>
          + {t('fit.add')}
        </button>
      </div>
    </div>
  );
}
