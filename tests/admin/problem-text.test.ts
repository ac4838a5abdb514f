/**
 * The console words every API problem from its code, in the reader's language: a table of
 * issues → their Japanese and English sentences, and a scan of the worker's source so a new
 * error code or reason without words in the console fails here rather than on a screen.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { en, ja } from '../../admin/src/i18n/all';
import { issueKeys, issueText, problemText } from '../../admin/src/lib/problemText';
import { removalText } from '../../admin/src/lib/removals';
import { lang } from '../../admin/src/i18n/catalogue';

afterEach(() => {
  lang.value = 'en';
});

const cases: [code: string, params: Record<string, unknown> | undefined, ja: string, en: string][] = [
  ['too_small', { origin: 'string', minimum: 1, inclusive: true }, '入力してください。', 'Enter a value.'],
  ['too_small', { origin: 'string', minimum: 3, inclusive: true }, '3 文字以上で入力してください。', 'Enter at least 3 characters.'],
  ['too_big', { origin: 'string', maximum: 100, inclusive: true }, '100 文字以内で入力してください。', 'Enter at most 100 characters.'],
  ['too_small', { origin: 'number', minimum: 1, inclusive: true }, '1 以上の数値を入力してください。', 'Enter 1 or more.'],
  ['too_small', { origin: 'number', minimum: 0, inclusive: false }, '0 より大きい数値を入力してください。', 'Enter more than 0.'],
  ['too_big', { origin: 'number', maximum: 365, inclusive: true }, '365 以下の数値を入力してください。', 'Enter 365 or less.'],
  ['too_big', { origin: 'array', maximum: 10, inclusive: true }, '10 件までです。', 'At most 10 are allowed.'],
  ['invalid_type', { expected: 'number' }, '数値を入力してください。', 'Enter a number.'],
  ['invalid_type', { expected: 'object' }, '入力の形式が正しくありません。', 'This value has the wrong form.'],
  [
    'invalid_format',
    { format: 'regex' },
    '半角の英小文字・数字・「_」「-」で入力してください（先頭は英小文字か数字）。',
    'Use lowercase letters, digits, "_" or "-", starting with a letter or digit.',
  ],
  [
    'invalid_format',
    { format: 'url' },
    'ブラウザのアドレス欄に表示されるアドレスを、先頭から全部入力してください。',
    'Enter a full address starting with https://.',
  ],
  [
    'custom',
    { reason: 'warm_below_hot' },
    'ウォームの基準はホットの基準より小さい点数にしてください。',
    'The Warm threshold must be below the Hot threshold.',
  ],
  ['custom', { reason: 'duplicate' }, 'すでに使われています。別の値にしてください。', 'This is already in use. Choose another.'],
  ['custom', { reason: 'something_new' }, 'この項目をご確認ください。', 'Check this field.'],
  ['custom', undefined, 'この項目をご確認ください。', 'Check this field.'],
  ['brand_new_code', undefined, 'この項目をご確認ください。', 'Check this field.'],
];

describe('issue words', () => {
  it.each(cases)('%s %j', (code, params, jaText, enText) => {
    lang.value = 'ja';
    expect(issueText({ code, params })).toBe(jaText);
    lang.value = 'en';
    expect(issueText({ code, params })).toBe(enText);
  });

  it('banner sentences fill their limits and names; unknown codes stay in the reader’s language', () => {
    lang.value = 'ja';
    expect(problemText('payload_too_large', { maximum: 65_536 })).toBe(
      '内容が大きすぎて保存できません（上限 64 キロバイト）。短くしてもう一度お試しください。',
    );
    expect(
      problemText(
        'in_use',
        { entity: 'segment', experiments: ['exp_a', 'exp_b'] },
        (id) => ({ exp_a: '導入事例テスト', exp_b: '料金テスト' })[id] ?? id,
      ),
    ).toBe('実験（導入事例テスト、料金テスト）で使われています。先にその実験を終了してください。');
    expect(problemText('already_running', { experiment: 'exp_a', name: '' }, () => '導入事例テスト')).toContain('「導入事例テスト」');
    expect(problemText('brand_new_code')).toBe('エラーが発生しました');
  });
});

/** Every .ts file under a folder. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('every code the admin API can send has words', () => {
  const text = sources(path.resolve(import.meta.dirname, '../../worker'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const reasons = [...new Set([...text.matchAll(/\{\s*reason: '([a-z_]+)'/g)].map((m) => m[1]!))];
  const conflictCodes = [...new Set([...text.matchAll(/conflict\((?:`[^`]*`|'[^']*'), '([a-z_]+)'/g)].map((m) => m[1]!))];

  it('found the reasons and conflict codes in the source (the scan itself works)', () => {
    expect(reasons).toEqual(expect.arrayContaining(['duplicate', 'warm_below_hot', 'weights_positive', 'unknown']));
    // Results of other checks (`{ok: false, reason}`) are not issue reasons.
    expect(reasons).not.toContain('private_address');
    expect(conflictCodes).toEqual(expect.arrayContaining(['in_use', 'already_running', 'not_editable', 'not_deletable']));
  });

  it('each custom reason has Japanese and English words', () => {
    for (const reason of reasons) {
      const key = issueKeys({ code: 'custom', params: { reason } })[0]!;
      expect(key in en, key).toBe(true);
      expect((ja as Record<string, string>)[key], key).toBeTruthy();
    }
  });

  it('each conflict and common error code has a banner sentence', () => {
    for (const code of [
      ...conflictCodes,
      'duplicate',
      'transition',
      'invalid_json',
      'payload_too_large',
      'not_found',
      'unauthorized',
      'too_many_attempts',
      'rate_limited',
      'unavailable',
      'not_configured',
      'internal_error',
    ]) {
      expect(`problem.${code}` in en, code).toBe(true);
    }
  });
});

describe('the sanitizer’s notices', () => {
  it('word what was removed and why, in Japanese', () => {
    lang.value = 'ja';
    expect(removalText({ kind: 'attribute', name: 'onclick' })).toEqual({
      what: 'onclick 属性',
      why: '使用できない属性です（ダウンロードの計測にはリンクに data-dw-download を付けてください）',
    });
    expect(removalText({ kind: 'element', name: 'script' })).toEqual({
      what: '<script> 要素',
      why: 'ここでは使えないため、中身ごと取り除きました',
    });
    expect(removalText({ kind: 'url', name: 'href', detail: 'javascript:' }).why).toBe('「javascript:」で始まるアドレスは使えません');
  });

  it('every detail the sanitizer can give has its own words', () => {
    const source = readFileSync(path.resolve(import.meta.dirname, '../../worker/core/sanitize.ts'), 'utf8');
    const details = [...source.matchAll(/(?:detail: |report\()'([^']+)'/g)].map((m) => m[1]!);
    expect(details.length).toBeGreaterThan(6);
    lang.value = 'en';
    const generic = new Set(['element', 'attribute'].map((kind) => removalText({ kind, name: 'x' }).why));
    for (const detail of details) {
      const why = removalText({ kind: 'attribute', name: 'x', detail }).why;
      expect(generic.has(why), detail).toBe(false);
    }
  });
});
