// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { renderToString } from 'preact-render-to-string';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorBox, Field, Loading, RuleBuilder, ScoreChart } from '../../admin/src/components';
import { lang } from '../../admin/src/i18n/catalogue';

afterEach(() => {
  lang.value = 'en';
});

describe('components', () => {
  it('Field ties its label, help and error to the control', () => {
    const html = renderToString(
      <Field label="Key" error="bad key" help="lowercase">
        {(a) => <input {...a} name="key" />}
      </Field>,
    );
    const id = /<label for="([^"]+)"/.exec(html)![1];
    expect(html).toContain(`id="${id}"`);
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain(`aria-describedby="${id}-error ${id}-help"`);
    expect(html).toContain('role="alert"');
    expect(html).toContain('bad key');
  });

  it('status views announce loading and errors', () => {
    lang.value = 'ja';
    expect(renderToString(<Loading />)).toContain('読み込み中');
    const err = renderToString(<ErrorBox message="サーバーに接続できませんでした" onRetry={() => {}} />);
    expect(err).toContain('role="alert"');
    expect(err).toContain('再試行');
  });

  it('the rule builder labels every input and shows errors next to their field', () => {
    lang.value = 'ja';
    const html = renderToString(
      <RuleBuilder
        match="all"
        conditions={[
          { type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'SaaS'] },
          { type: 'behavior', event: 'page_view', where: { category: 'pricing' }, withinDays: 7, op: 'gte', count: 2 },
        ]}
        errors={{ 'rule.conditions.1.count': 'Too small' }}
        path="rule.conditions"
        onChange={() => {}}
      />,
    );
    expect(html).toContain('属性名');
    expect(html).toContain('value="IT, SaaS"');
    expect(html).toContain('ページ閲覧');
    expect(html).toContain('value="pricing"');
    expect(html).toContain('期間（日以内）');
    // The error is rendered inside the "回数" field.
    expect(html).toMatch(/<label[^>]*>回数<\/label><input[^>]*aria-invalid="true"[^>]*><p class="field-error"[^>]*>Too small<\/p>/);
    const inputs = html.match(/<(input|select|textarea)\b[^>]*>/g) ?? [];
    const labelled = inputs.filter((tag) => /\bid="/.test(tag) || /type="checkbox"/.test(tag));
    expect(labelled.length).toBe(inputs.length);
  });

  it('draws the score history as an SVG line with threshold lines', () => {
    const day = 86_400_000;
    const html = renderToString(
      <ScoreChart
        events={[
          { at: 0, points: 30, scoreAfter: 30, type: 'download' },
          { at: 5 * day, points: 60, scoreAfter: 85, type: 'form_inquiry' },
        ]}
        decayPerDay={1}
        now={10 * day}
        warmAt={30}
        hotAt={80}
      />,
    );
    expect(html).toContain('<svg');
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<path class="line" d="M[\d.]+,[\d.]+ L/);
    expect(html.match(/<circle/g)?.length).toBe(2);
    expect(html).toContain('threshold-hot');
  });
});
