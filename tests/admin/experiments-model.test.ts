// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { describe, expect, it } from 'vitest';
import { draftErrors, nextArmKey, toArms, toDraft, type ExperimentDraft } from '../../admin/src/models/experimentsModel';
import { precise } from '../../worker/routes/admin/validate';

const draft: ExperimentDraft = {
  name: 'x',
  slot: 'hero',
  segment: 'consideration',
  goalEvent: 'form_inquiry',
  goalName: '',
  includeControl: true,
  controlPercent: 34,
  arms: [
    { key: 'case_a', percent: 33, variant: 'a' },
    { key: 'case_b', percent: 33, variant: 'b' },
  ],
};

describe('experiment editor', () => {
  it.each([
    [[], 'variant_a'],
    [['variant_a'], 'variant_b'],
    [['variant_b'], 'variant_a'],
    [['case_a', 'variant_a', 'variant_c'], 'variant_b'],
    [Array.from({ length: 26 }, (_, i) => `variant_${String.fromCharCode(97 + i)}`), 'variant_27'],
  ])('makes a new arm a key no arm uses (%j → %s): the marketer never types one', (keys, expected) => {
    expect(nextArmKey(keys.map((key) => ({ key })))).toBe(expected);
  });

  it('puts a control arm (default content) first, weights as fractions', () => {
    expect(toArms(draft)).toEqual([
      { key: 'control', weight: 0.34, variant: null },
      { key: 'case_a', weight: 0.33, variant: 'a' },
      { key: 'case_b', weight: 0.33, variant: 'b' },
    ]);
    expect(toArms({ ...draft, includeControl: false }).map((a) => a.key)).toEqual(['case_a', 'case_b']);
  });
  it('round-trips an experiment through the draft', () => {
    const e = {
      id: 'e',
      name: 'x',
      slot: 'hero',
      segment: 'consideration',
      goal: { eventType: 'form_inquiry' as const, goal: null },
      status: 'draft' as const,
      arms: toArms(draft),
      startedAt: null,
      stoppedAt: null,
    };
    expect(toDraft(e)).toEqual(draft);
  });
  it('moves API errors on arms to the rows the form shows (control is not a row)', () => {
    expect(draftErrors({ 'arms.2.variant': 'no', 'arms.0.weight': 'bad', name: 'n' }, true)).toEqual({
      'arms.1.variant': 'no',
      'control.weight': 'bad',
      name: 'n',
    });
    expect(draftErrors({ 'arms.1.variant': 'no' }, false)).toEqual({ 'arms.1.variant': 'no' });
  });
});

describe('API issue paths', () => {
  it('points inside a union at the option whose type matches', () => {
    const issues = precise([
      {
        code: 'invalid_union',
        path: ['rule', 'conditions', 0],
        message: 'Invalid input',
        errors: [
          [{ code: 'invalid_type', path: ['count'], message: 'expected number', expected: 'number' }],
          [
            { code: 'invalid_value', path: ['type'], message: 'expected "trait"' },
            { code: 'invalid_type', path: ['trait'], message: 'required' },
          ],
        ],
      },
    ]);
    expect(issues).toEqual([
      { path: ['rule', 'conditions', 0, 'count'], code: 'invalid_type', params: { expected: 'number' }, message: 'expected number' },
    ]);
  });
  it('keeps the union issue when the type matches no option', () => {
    const issue = {
      code: 'invalid_union',
      path: ['c'],
      message: 'Invalid input',
      errors: [[{ code: 'invalid_value', path: ['type'], message: 'x' }]],
    };
    expect(precise([issue])).toEqual([{ path: ['c'], code: 'invalid_union', message: 'Invalid input' }]);
  });
});
