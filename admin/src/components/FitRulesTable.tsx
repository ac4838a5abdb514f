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
import { withFitOp } from '../models/fitModel';
import type { ScoringEditor } from '../models/scoringModel';
import { t } from '../i18n/catalogue';
import { Cell, EditRow, EditTable, NumberCell, TextCell } from './EditRow';

const OPS: TraitOp[] = ['eq', 'neq', 'in', 'not_in', 'gte', 'gt', 'lte', 'lt', 'contains', 'exists', 'not_exists'];

function FitRow({ r, i, errors, editor }: { r: FitRule; i: number; errors: FieldErrors; editor: ScoringEditor }) {
  const { updateFit: updateFitRule, removeFit: removeFitRule } = editor;
  const p = `fit.${i}`;
  // The typed text is kept while the marketer edits ("IT, " is not yet a list of two).
  const [text, setText] = useState(traitValueText({ type: 'trait', trait: r.trait, op: r.op, value: r.value }));
  return (
    <EditRow
      data-fit-rule={r.id}
      label={r.id}
      enabled={r.enabled}
      onEnabled={(enabled) => updateFitRule(i, { enabled })}
      onRemove={() => removeFitRule(i)}
    >
      <TextCell
        label={t('scoring.ruleId')}
        error={errors[`${p}.id`]}
        name="fit-id"
        class="mono input-short"
        value={r.id}
        onValue={(id) => updateFitRule(i, { id })}
      />
      <TextCell
        label={t('fit.trait')}
        error={errors[`${p}.trait`]}
        name="fit-trait"
        class="input-short"
        list="dw-fit-traits"
        value={r.trait}
        onValue={(trait) => updateFitRule(i, { trait: trait.trim() })}
      />
      <Cell label={t('cond.operator')} error={errors[`${p}.op`]}>
        {(a) => (
          <select {...a} name="fit-op" value={r.op} onChange={(e) => updateFitRule(i, withFitOp(r, e.currentTarget.value as TraitOp))}>
            {OPS.map((op) => (
              <option key={op} value={op}>
                {t(`op.${op}`)}
              </option>
            ))}
          </select>
        )}
      </Cell>
      {takesNoValue(r.op) ? (
        <td />
      ) : (
        <Cell label={t('cond.value')} error={errors[`${p}.value`]} help={isListOp(r.op) ? t('cond.valuesHelp') : undefined}>
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
        </Cell>
      )}
      <NumberCell
        label={t('scoring.points')}
        error={errors[`${p}.points`]}
        name="fit-points"
        value={r.points}
        onValue={(points) => updateFitRule(i, { points })}
      />
    </EditRow>
  );
}

export interface FitRulesTableProps {
  /** The scoring editor the fit points belong to (errors come keyed `fit.<row>.<field>`). */
  editor: ScoringEditor;
}

export function FitRulesTable({ editor }: FitRulesTableProps) {
  const rows = editor.draft.value.fit;
  const errors = editor.errors.value;
  return (
    <div id="fit-rules">
      <h2>{t('fit.title')}</h2>
      <p class="muted">{t('fit.intro')}</p>
      {rows.length > 0 && (
        <EditTable switches columns={[t('scoring.ruleId'), t('fit.trait'), t('cond.operator'), t('cond.value'), t('scoring.points')]}>
          {rows.map((r, i) => (
            // Rows are keyed by position, like the points table: ids are being edited.
            <FitRow key={i} r={r} i={i} errors={errors} editor={editor} />
          ))}
        </EditTable>
      )}
      {errors.fit && <p class="field-error">{errors.fit}</p>}
      <datalist id="dw-fit-traits">
        {COMMON_TRAITS.map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <div class="actions-inline" style="margin-top: .6rem">
        <button type="button" class="btn btn-small" onClick={editor.addFit}>
          + {t('fit.add')}
        </button>
      </div>
    </div>
  );
}
