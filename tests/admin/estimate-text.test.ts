/**
 * An experiment's duration estimate in words (admin/src/lib/estimateText.ts), and score tiers
 * named apart from segments (「ホットランク」, never a bare 「ホット」 beside the segment
 * 「ホットリード」), in Japanese and English.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { en, ja } from '../../admin/src/i18n/all';
import { estimateDetails, estimateHeadline, estimateSentence, estimateWarning } from '../../admin/src/lib/estimateText';
import { describeNamed } from '../../admin/src/lib/names';
import { lang } from '../../admin/src/i18n/catalogue';
import type { ExperimentEstimate } from '../../worker/core/experiment-estimate';

afterEach(() => {
  lang.value = 'en';
});

const estimate = (over: Partial<ExperimentEstimate> = {}): ExperimentEstimate => ({
  windowDays: 28,
  perDay: 100,
  trafficSource: 'slot',
  baselineCvr: 0.05,
  baselineSource: 'assumed',
  uplift: 0.2,
  requiredPerArm: 8158,
  arms: [
    { key: 'control', share: 0.5, exposed: 0, remaining: 8158 },
    { key: 'case_a', share: 0.5, exposed: 0, remaining: 8158 },
  ],
  daysNeeded: 164,
  withinHorizon: false,
  ...over,
});

describe('the estimate in words', () => {
  it('says the days, why, and warns past 4 weeks (ja)', () => {
    lang.value = 'ja';
    const e = estimate();
    expect(estimateHeadline(e)).toBe('現在のトラフィックでは、結論が出るまで約 164 日かかる見込みです。');
    expect(estimateDetails(e)).toEqual([
      '20.0% の改善を見つけるには、各パターンに 8,158 人が必要です（コンバージョン率 5.0% を想定、参考にできる実績がないための仮定）。',
      '1日あたり約 100 人（直近 28 日に、このスロットの実験に新たに加わったこのセグメントの人数）。',
    ]);
    expect(estimateWarning(e)).toContain('4週間以内に結論が出ない見込みです');
    expect(estimateSentence(e)).toBe(`${estimateHeadline(e)} ${estimateWarning(e)}`);
  });

  it('says what a paused test still needs, and no warning within 4 weeks (en)', () => {
    const e = estimate({
      arms: [
        { key: 'control', share: 0.5, exposed: 8000, remaining: 158 },
        { key: 'case_a', share: 0.5, exposed: 7000, remaining: 1158 },
      ],
      daysNeeded: 24,
      withinHorizon: true,
      trafficSource: 'activity',
      baselineSource: 'experiments',
      baselineCvr: 0.1,
    });
    expect(estimateHeadline(e)).toBe('About 24 days to a conclusion at the current traffic.');
    expect(estimateDetails(e)).toContain('Still needed after the visitors it already has: 1,158.');
    expect(estimateDetails(e).join(' ')).toContain('not all of them see this slot');
    expect(estimateDetails(e)[0]).toContain('from the control of earlier experiments with this goal');
    expect(estimateWarning(e)).toBeNull();
  });

  it('no traffic, done, or no answer', () => {
    lang.value = 'ja';
    expect(estimateHeadline(estimate({ perDay: null, trafficSource: null, daysNeeded: null }))).toContain('期間を見積もれません');
    expect(estimateDetails(estimate({ perDay: null, trafficSource: null, daysNeeded: null }))).toEqual([]);
    expect(estimateWarning(estimate({ perDay: null, trafficSource: null, daysNeeded: null }))).toBeNull();
    expect(estimateHeadline(estimate({ daysNeeded: 0, withinHorizon: true }))).toBe('すべてのパターンで必要な人数に達しています。');
    expect(estimateSentence(null)).toBe('期間を見積もれませんでした。');
  });
});

describe('score tiers and segments named apart', () => {
  it('tier words always say ランク / tier', () => {
    for (const tier of ['hot', 'warm', 'cold'] as const) {
      expect(ja[`tier.${tier}`]).toMatch(/ランク$/);
      expect(en[`tier.${tier}`]).toMatch(/ tier$/);
    }
    for (const key of ['cond.tier', 'members.tier', 'scoring.simTier'] as const) {
      expect(ja[key]).toBe('スコアランク');
      expect(en[key]).toBe('Score tier');
    }
  });

  it('a tier condition reads as a score tier with names, not keys', () => {
    lang.value = 'ja';
    expect(describeNamed({ type: 'tier', in: ['hot', 'warm'] })).toBe('スコアランクが {ホットランク, ウォームランク} のいずれか');
    lang.value = 'en';
    expect(describeNamed({ type: 'tier', in: ['hot'] })).toBe('score tier in {Hot tier}');
  });
});
