import { describe, expect, it } from 'vitest';
import { textSearch } from '../../worker/core/text-search';
import cases from './cases/text-search.json';

describe('textSearch (the q of a member list)', () => {
  it.each(cases.cases)('$q', ({ q, want }) => expect(textSearch(q)).toEqual(want));
});
