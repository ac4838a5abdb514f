/**
 * The checks the console's forms make while the marketer types: experiment shares as typed
 * (summing to 100%) and a name, scripts and handlers flagged in content, characters counted as
 * a person counts them, and the preview's default arm (the newest content).
 */
// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { afterEach, describe, expect, it } from 'vitest';
import { charCount, htmlHints } from '../../admin/src/lib/htmlHints';
import { config } from '../../admin/src/models/configModel';
import { draftProblems, percentSum, toDraft } from '../../admin/src/models/experimentsModel';
import { lang } from '../../admin/src/i18n/catalogue';
import { defaultArm } from '../../admin/src/models/previewModel';
import demo from '../../db/seed/demo.json';

afterEach(() => {
  lang.value = 'en';
  config.value = null;
});

const draft = (over: object = {}) => ({ ...toDraft(null), name: 'x', ...over });

describe('experiment shares', () => {
  it.each([
    [{ includeControl: true, controlPercent: 50, arms: [{ key: 'a', percent: 30, variant: 'v' }] }, 80, true],
    [{ includeControl: true, controlPercent: 50, arms: [{ key: 'a', percent: 50, variant: 'v' }] }, 100, false],
    [{ includeControl: false, controlPercent: 50, arms: [{ key: 'a', percent: 100, variant: 'v' }] }, 100, false],
    [
      {
        includeControl: true,
        controlPercent: 33.3,
        arms: [
          { key: 'a', percent: 33.3, variant: 'v' },
          { key: 'b', percent: 33.3, variant: 'w' },
        ],
      },
      99.9,
      false,
    ],
    [{ includeControl: true, controlPercent: 0, arms: [{ key: 'a', percent: 0, variant: 'v' }] }, 0, true],
  ])('%j adds up to %d (refused: %s)', (over, sum, refused) => {
    const d = draft(over);
    expect(percentSum(d)).toBe(sum);
    expect(Boolean(draftProblems(d).arms)).toBe(refused);
  });

  it('asks for a name, in the UI language', () => {
    lang.value = 'ja';
    expect(draftProblems(draft({ name: '  ' })).name).toBe('あとで見つけられるよう、実験に名前を付けてください。');
  });

  it('an existing experiment in thirds opens without a complaint', () => {
    config.value = demo as never;
    expect(draftProblems(toDraft(demo.experiments[0] as never))).toEqual({});
  });
});

describe('content hints while typing', () => {
  it.each([
    ['<p>こんにちは</p>', 0],
    ['<script>alert(1)</script>', 1],
    ['<a href="/x" onclick="go()">x</a>', 1],
    ['<img src=x ONERROR=alert(1)>', 1],
    ['<a href="javascript:alert(1)">x</a>', 1],
    ['<a href="/x" onclick="a()">x</a><script>b()</script><a href=\'javascript:c()\'>y</a>', 3],
    ['<p>data-dw-download is fine; on=off in text is fine</p>', 0],
  ])('%s → %i hint(s)', (html, n) => {
    expect(htmlHints(html)).toHaveLength(n);
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(charCount('おかえり')).toBe(4);
    expect(charCount('👍🏻a')).toBe(3);
  });
});

describe('preview', () => {
  it('starts on the arm with the newest content', () => {
    config.value = demo as never;
    expect(defaultArm(demo.experiments[0] as never)).toBe('case_b');
    expect(defaultArm({ arms: [{ key: 'control', weight: 1, variant: null }] })).toBe('');
  });
});
