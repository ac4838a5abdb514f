import { describe, expect, it } from 'vitest';
import { describeCondition } from '../../worker/core/describe';
import { Condition } from '../../worker/schema/config';
import cases from './cases/describe.json';
import demoSeed from '../../db/seed/demo.json';
const demoSegments = demoSeed.segments;

describe('describeCondition', () => {
  it.each(cases)('$en', ({ condition, en, ja }) => {
    const c = Condition.parse(condition);
    expect(describeCondition(c, 'en')).toBe(en);
    expect(describeCondition(c, 'ja')).toBe(ja);
  });

  it('describes every demo condition in both languages without placeholders', () => {
    for (const s of demoSegments) {
      for (const raw of s.rule.conditions) {
        for (const lang of ['en', 'ja'] as const) {
          const text = describeCondition(Condition.parse(raw), lang);
          expect(text).not.toMatch(/undefined|null|NaN/);
        }
      }
    }
  });
});
