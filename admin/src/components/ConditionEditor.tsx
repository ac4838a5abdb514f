/**
 * @module
 * One condition of a segment rule: attribute, behaviour window, trend (this period against the
 * one before), days since previous activity, score, fit (attribute points), tier, or a nested
 * group (all / any / none). Every input is labelled; errors from the API show next to
 * the field they belong to (`errors` keyed by path, `path` is this condition's).
 */
import { useState } from 'preact/hooks';
import type { BehaviorCondition, CompareOp, Condition, PropensityCondition, TraitCondition, TrendCondition } from '@worker/schema/config';
import { config } from '../models/configModel';
import type { FieldErrors } from '../lib/issues';
import {
  isListOp,
  newCondition,
  parseDays,
  parsePercent,
  parseTraitValue,
  ratioPercent,
  takesNoValue,
  traitValueText,
  withTraitOp,
  CONDITION_TYPES,
  type ConditionType,
} from '../lib/ruleDraft';
import { DEFAULT_PROP, DIMENSION_PROPS } from '../lib/vocab';
import { knownPropValues, knownTraits, propName, propValueName, traitName } from '../lib/names';
import { t } from '../i18n/catalogue';
import { Field } from './Field';
import { RuleBuilder } from './RuleBuilder';
import { EventOptions } from './Options';

const COMPARE_OPS: CompareOp[] = ['gte', 'gt', 'eq', 'neq', 'lte', 'lt'];
const TRAIT_OPS: TraitCondition['op'][] = ['eq', 'neq', 'in', 'not_in', 'gte', 'gt', 'lte', 'lt', 'contains', 'exists', 'not_exists'];
const TYPE_LABEL: Record<ConditionType, Parameters<typeof t>[0]> = {
  trait: 'cond.trait',
  behavior: 'cond.behavior',
  inactivity: 'cond.inactivity',
  score: 'cond.score',
  tier: 'cond.tier',
  trend: 'cond.trend',
  fit: 'cond.fit',
  propensity: 'cond.propensity',
  group: 'cond.group',
};

export interface ConditionEditorProps {
  condition: Condition;
  onChange: (next: Condition) => void;
  onRemove: () => void;
  errors: FieldErrors;
  /** This condition's path in the API's issues, e.g. `rule.conditions.2`. */
  path: string;
  depth: number;
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

function OpSelect({
  value,
  ops,
  onChange,
  error,
}: {
  value: string;
  ops: string[];
  onChange: (op: string) => void;
  error?: string | undefined;
}) {
  return (
    <Field label={t('cond.operator')} error={error}>
      {(a) => (
        <select {...a} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {ops.map((op) => (
            <option key={op} value={op}>
              {t(`op.${op}` as Parameters<typeof t>[0])}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/** A comparison with a number (days inactive, score, fit points): the operator, then the number. */
function OpNumber({
  op,
  onOp,
  label,
  error,
  help,
  name,
  min,
  value,
  onValue,
}: {
  op: CompareOp;
  onOp: (op: CompareOp) => void;
  label: string;
  error?: string | undefined;
  help?: string;
  name?: string;
  min?: number;
  value: number;
  onValue: (value: number) => void;
}) {
  return (
    <>
      <OpSelect value={op} ops={COMPARE_OPS} onChange={(o) => onOp(o as CompareOp)} />
      <Field label={label} error={error} help={help}>
        {(a) => (
          <input
            {...a}
            name={name}
            class="input-num"
            type="number"
            min={min}
            value={Number.isNaN(value) ? '' : value}
            onInput={(e) => onValue(num(e.currentTarget.value))}
          />
        )}
      </Field>
    </>
  );
}

function TraitFields({
  c,
  onChange,
  errors,
  path,
}: {
  c: TraitCondition;
  onChange: (c: Condition) => void;
  errors: FieldErrors;
  path: string;
}) {
  const [text, setText] = useState(traitValueText(c));
  return (
    <>
      <Field label={t('cond.traitName')} error={errors[`${path}.trait`]}>
        {(a) => <input {...a} list="dw-traits" value={c.trait} onInput={(e) => onChange({ ...c, trait: e.currentTarget.value.trim() })} />}
      </Field>
      <OpSelect
        value={c.op}
        ops={TRAIT_OPS}
        error={errors[`${path}.op`]}
        onChange={(op) => onChange(withTraitOp(c, op as TraitCondition['op']))}
      />
      {!takesNoValue(c.op) && (
        <Field label={t('cond.value')} error={errors[`${path}.value`]} help={isListOp(c.op) ? t('cond.valuesHelp') : undefined}>
          {(a) => (
            <input
              {...a}
              value={text}
              onInput={(e) => {
                setText(e.currentTarget.value);
                onChange({ ...c, value: parseTraitValue(e.currentTarget.value, c.op) });
              }}
            />
          )}
        </Field>
      )}
      <datalist id="dw-traits">
        {knownTraits().map((x) => (
          <option key={x} value={x} label={traitName(x)} />
        ))}
      </datalist>
    </>
  );
}

/** The event and its optional prop value, shared by behaviour and trend conditions. */
function EventWhereFields<C extends BehaviorCondition | TrendCondition>({
  c,
  onChange,
  errors,
  path,
}: {
  c: C;
  onChange: (c: C) => void;
  errors: FieldErrors;
  path: string;
}) {
  const [prop, value] = Object.entries(c.where ?? {})[0] ?? ['', ''];
  const [propChoice, setPropChoice] = useState<string>(prop);
  const setWhere = (p: string, v: string) => onChange({ ...c, where: p && v.trim() ? { [p]: v.trim() } : {} });
  return (
    <>
      <Field label={t('cond.event')} error={errors[`${path}.event`]}>
        {(a) => (
          <select
            {...a}
            value={c.event}
            onChange={(e) => {
              const event = e.currentTarget.value as BehaviorCondition['event'];
              setPropChoice(DEFAULT_PROP[event] ?? '');
              onChange({ ...c, event, where: {} });
            }}
          >
            <EventOptions />
          </select>
        )}
      </Field>
      <Field label={t('cond.where')} error={errors[`${path}.where`]}>
        {(a) => (
          <select
            {...a}
            value={propChoice}
            onChange={(e) => {
              setPropChoice(e.currentTarget.value);
              setWhere(e.currentTarget.value, value ?? '');
            }}
          >
            <option value="">{t('cond.anyProp')}</option>
            {DIMENSION_PROPS.map((p) => (
              <option key={p} value={p}>
                {propName(p)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {propChoice && (
        <Field label={`${propName(propChoice)} ${t('cond.whereValue')}`} error={errors[`${path}.where.${propChoice}`]}>
          {(a) => (
            <>
              <input
                {...a}
                class="input-short"
                list={`dw-values-${propChoice}`}
                value={value ?? ''}
                onInput={(e) => setWhere(propChoice, e.currentTarget.value)}
              />
              <datalist id={`dw-values-${propChoice}`}>
                {knownPropValues(propChoice).map((v) => (
                  <option key={v} value={v} label={propValueName(propChoice, v)} />
                ))}
              </datalist>
            </>
          )}
        </Field>
      )}
    </>
  );
}

function BehaviorFields({
  c,
  onChange,
  errors,
  path,
}: {
  c: BehaviorCondition;
  onChange: (c: Condition) => void;
  errors: FieldErrors;
  path: string;
}) {
  return (
    <>
      <EventWhereFields c={c} onChange={onChange} errors={errors} path={path} />
      <OpSelect
        value={c.op ?? 'gte'}
        ops={COMPARE_OPS}
        error={errors[`${path}.op`]}
        onChange={(op) => onChange({ ...c, op: op as CompareOp })}
      />
      <Field label={t('cond.count')} error={errors[`${path}.count`]}>
        {(a) => (
          <input
            {...a}
            class="input-num"
            type="number"
            min={0}
            value={c.count ?? 1}
            onInput={(e) => onChange({ ...c, count: num(e.currentTarget.value) })}
          />
        )}
      </Field>
      <Field label={t('cond.withinDays')} error={errors[`${path}.withinDays`]} help={t('cond.withinHelp')}>
        {(a) => (
          <input
            {...a}
            class="input-num"
            type="number"
            min={1}
            value={c.withinDays ?? ''}
            onInput={(e) => onChange({ ...c, withinDays: parseDays(e.currentTarget.value) })}
          />
        )}
      </Field>
    </>
  );
}

/** "login over the last 30 days ≤ 50 % of the 30 days before", the ratio typed as a percentage. */
function TrendFields({
  c,
  onChange,
  errors,
  path,
}: {
  c: TrendCondition;
  onChange: (c: Condition) => void;
  errors: FieldErrors;
  path: string;
}) {
  const [percentText, setPercentText] = useState(Number.isNaN(c.ratio) ? '' : String(ratioPercent(c.ratio)));
  return (
    <>
      <EventWhereFields c={c} onChange={onChange} errors={errors} path={path} />
      <Field label={t('cond.trendDays')} error={errors[`${path}.days`]} help={t('cond.trendDaysHelp')}>
        {(a) => (
          <input
            {...a}
            name="trend-days"
            class="input-num"
            type="number"
            min={1}
            max={180}
            value={Number.isNaN(c.days) ? '' : c.days}
            onInput={(e) => onChange({ ...c, days: num(e.currentTarget.value) })}
          />
        )}
      </Field>
      <OpSelect value={c.op} ops={COMPARE_OPS} error={errors[`${path}.op`]} onChange={(op) => onChange({ ...c, op: op as CompareOp })} />
      <Field label={t('cond.trendPercent')} error={errors[`${path}.ratio`]} help={t('cond.trendPercentHelp')}>
        {(a) => (
          <input
            {...a}
            name="trend-percent"
            class="input-num"
            type="number"
            min={0}
            value={percentText}
            onInput={(e) => {
              setPercentText(e.currentTarget.value);
              onChange({ ...c, ratio: parsePercent(e.currentTarget.value) });
            }}
          />
        )}
      </Field>
      <Field label={t('cond.minPrevious')} error={errors[`${path}.minPrevious`]} help={t('cond.minPreviousHelp')}>
        {(a) => (
          <input
            {...a}
            name="trend-min"
            class="input-num"
            type="number"
            min={1}
            value={Number.isNaN(c.minPrevious) ? '' : c.minPrevious}
            onInput={(e) => onChange({ ...c, minPrevious: num(e.currentTarget.value) })}
          />
        )}
      </Field>
    </>
  );
}

/** "likelihood (model) ≥ 30 %": the model from the site's trained ones, the probability as a percentage. */
function PropensityFields({
  c,
  onChange,
  errors,
  path,
}: {
  c: PropensityCondition;
  onChange: (c: Condition) => void;
  errors: FieldErrors;
  path: string;
}) {
  const [percentText, setPercentText] = useState(Number.isNaN(c.value) ? '' : String(ratioPercent(c.value)));
  const models = config.value?.models ?? [];
  return (
    <>
      <Field label={t('cond.model')} error={errors[`${path}.model`]} help={models.length ? undefined : t('cond.noModels')}>
        {(a) => (
          <select {...a} name="propensity-model" value={c.model} onChange={(e) => onChange({ ...c, model: e.currentTarget.value })}>
            <option value="">{t('cond.chooseModel')}</option>
            {models.map((m) => (
              <option key={m.key} value={m.key}>
                {m.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <OpSelect value={c.op} ops={COMPARE_OPS} error={errors[`${path}.op`]} onChange={(op) => onChange({ ...c, op: op as CompareOp })} />
      <Field label={t('cond.likelihood')} error={errors[`${path}.value`]}>
        {(a) => (
          <input
            {...a}
            name="propensity-percent"
            class="input-num"
            type="number"
            min={0}
            max={100}
            value={percentText}
            onInput={(e) => {
              setPercentText(e.currentTarget.value);
              onChange({ ...c, value: parsePercent(e.currentTarget.value) });
            }}
          />
        )}
      </Field>
    </>
  );
}

export function ConditionEditor({ condition: c, onChange, onRemove, errors, path, depth }: ConditionEditorProps) {
  const ownError = errors[path];
  return (
    <fieldset class={`condition condition-${c.type}${ownError ? ' has-error' : ''}`}>
      <legend class="sr-only">{t(TYPE_LABEL[c.type])}</legend>
      <div class="condition-row">
        <Field label={t('cond.type')}>
          {(a) => (
            <select {...a} value={c.type} onChange={(e) => onChange(newCondition(e.currentTarget.value as ConditionType))}>
              {CONDITION_TYPES.filter((x) => x !== 'group' || depth < 2).map((type) => (
                <option key={type} value={type}>
                  {t(TYPE_LABEL[type])}
                </option>
              ))}
            </select>
          )}
        </Field>
        {c.type === 'trait' && <TraitFields c={c} onChange={onChange} errors={errors} path={path} />}
        {c.type === 'behavior' && <BehaviorFields c={c} onChange={onChange} errors={errors} path={path} />}
        {c.type === 'trend' && <TrendFields c={c} onChange={onChange} errors={errors} path={path} />}
        {c.type === 'inactivity' && (
          <OpNumber
            op={c.op ?? 'gte'}
            onOp={(op) => onChange({ ...c, op })}
            label={t('cond.days')}
            error={errors[`${path}.days`]}
            min={0}
            value={c.days}
            onValue={(days) => onChange({ ...c, days })}
          />
        )}
        {c.type === 'score' && (
          <OpNumber
            op={c.op}
            onOp={(op) => onChange({ ...c, op })}
            label={t('cond.value')}
            error={errors[`${path}.value`]}
            value={c.value}
            onValue={(value) => onChange({ ...c, value })}
          />
        )}
        {c.type === 'fit' && (
          <OpNumber
            op={c.op}
            onOp={(op) => onChange({ ...c, op })}
            label={t('cond.value')}
            error={errors[`${path}.value`]}
            help={t('cond.fitHelp')}
            name="fit-value"
            value={c.value}
            onValue={(value) => onChange({ ...c, value })}
          />
        )}
        {c.type === 'propensity' && <PropensityFields c={c} onChange={onChange} errors={errors} path={path} />}
        {c.type === 'tier' && (
          <fieldset class="checks">
            <legend>{t('cond.tier')}</legend>
            {(['hot', 'warm', 'cold'] as const).map((tier) => (
              <label key={tier} class="check">
                <input
                  type="checkbox"
                  checked={c.in.includes(tier)}
                  onChange={(e) => onChange({ ...c, in: e.currentTarget.checked ? [...c.in, tier] : c.in.filter((x) => x !== tier) })}
                />
                {t(`tier.${tier}`)}
              </label>
            ))}
            {errors[`${path}.in`] && <p class="field-error">{errors[`${path}.in`]}</p>}
          </fieldset>
        )}
        <button
          type="button"
          class="btn btn-icon btn-ghost condition-remove"
          onClick={onRemove}
          aria-label={t('cond.remove')}
          title={t('cond.remove')}
        >
          ×
        </button>
      </div>
      {c.type === 'group' && (
        <RuleBuilder
          match={c.match}
          conditions={c.conditions}
          onChange={(match, conditions) => onChange({ ...c, match, conditions })}
          errors={errors}
          path={`${path}.conditions`}
          depth={depth + 1}
        />
      )}
      {ownError && <p class="field-error">{ownError}</p>}
    </fieldset>
  );
}
