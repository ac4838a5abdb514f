/**
 * Display names: the demo seed's names over the base names, replaced by PUT, refused field by
 * field when malformed (nothing written).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from './helpers';
import { api } from './admin-helpers';

beforeAll(loadDemo);

describe('/api/vocabulary', () => {
  it('gives the demo names, with base names for every event type and prop', async () => {
    const res = await api('GET', '/vocabulary');
    expect(res.status).toBe(200);
    expect(res.body.traits.industry).toMatchObject({ ja: '業種', en: 'Industry' });
    expect(res.body.traits.industry.values.Manufacturing).toEqual({ ja: '製造業', en: 'Manufacturing' });
    expect(res.body.events.seminar_attend).toEqual({ ja: 'セミナー参加', en: 'Seminar attendance' });
    expect(res.body.props.category.values.pricing).toEqual({ ja: '料金', en: 'Pricing' });
    // A prop the demo does not name keeps its base name.
    expect(res.body.props.campaign).toEqual({ ja: 'キャンペーン', en: 'Campaign' });
  });

  it('PUT replaces the site’s names; the base ones stay underneath', async () => {
    const put = await api('PUT', '/vocabulary', {
      events: { seminar_attend: { ja: 'ウェビナー参加', en: 'Webinar attendance' } },
      traits: { plan: { ja: '契約プラン', en: 'Plan', values: { pro: { ja: 'プロ' } } } },
    });
    expect(put.status).toBe(200);
    const res = await api('GET', '/vocabulary');
    expect(res.body.events.seminar_attend).toEqual({ ja: 'ウェビナー参加', en: 'Webinar attendance' });
    expect(res.body.events.page_view).toEqual({ ja: 'ページ閲覧', en: 'Page view' });
    expect(res.body.traits).toEqual({ plan: { ja: '契約プラン', en: 'Plan', values: { pro: { ja: 'プロ', en: '' } } } });
    expect(res.body.props.category).toEqual({ ja: 'ページカテゴリ', en: 'Page category' });
  });

  it.each([
    ['a name over 100 characters', { traits: { industry: { ja: 'あ'.repeat(101), en: '' } } }, ['traits', 'industry', 'ja'], 'too_big'],
    ['an unknown event type', { events: { page_veiw: { ja: 'x', en: 'x' } } }, ['events', 'page_veiw'], null],
    ['a trait key over 64 characters', { traits: { ['k'.repeat(65)]: { ja: 'x', en: 'x' } } }, ['traits', 'k'.repeat(65)], null],
  ])('refuses %s, writing nothing', async (_label, body, path, code) => {
    const before = (await api('GET', '/vocabulary')).body;
    const res = await api('PUT', '/vocabulary', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const issue = res.body.error.issues.find(
      (i: any) => i.path.join('.').startsWith(path.join('.')) || path.join('.').startsWith(i.path.join('.')),
    );
    expect(issue, JSON.stringify(res.body.error.issues)).toBeDefined();
    if (code) expect(issue.code).toBe(code);
    expect((await api('GET', '/vocabulary')).body).toEqual(before);
  });
});
