/**
 * Behaviour at the edges the reference table cannot express by value alone: empty arms,
 * 0 % and 100 %, tiny samples, weight-0 arms, large n speed, verdicts, messages, series and
 * the docs/api.md#experiment-results shape.
 */
import { describe, expect, it } from 'vitest';
import {
  alwaysValid,
  chanceToBeatControl,
  computeExperimentResults,
  cumulativeSeries,
  relativeUplift,
  requiredVisitorsPerArm,
  roundUpAbout,
  srmTest,
  twoProportionZTest,
  verdict,
  verdictMessage,
  wilsonInterval,
  type ArmInput,
  type DailyRow,
  type Verdict,
  type VerdictInput,
} from '../../../worker/core/stats';

describe('edge cases of the per-arm statistics', () => {
  it('Wilson: no visitors → [0, 1]; 0 % starts exactly at 0; 100 % ends exactly at 1', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(wilsonInterval(0, 3)[0]).toBe(0);
    expect(wilsonInterval(3, 3)[1]).toBe(1);
    expect(wilsonInterval(0, 3)[1]).toBeGreaterThan(0.4); // three visitors prove little
  });

  it.each([
    ['control has no visitors', 0, 0, 3, 10, null],
    ['arm has no visitors', 3, 10, 0, 0, null],
    ['nobody converted anywhere', 0, 100, 0, 100, 1],
    ['everybody converted everywhere', 100, 100, 50, 50, 1],
  ])('z-test: %s → %s', (_, cA, nA, cB, nB, p) => {
    expect(twoProportionZTest(cA, nA, cB, nB)).toBe(p);
  });

  it.each([
    ['control CVR 0', 0, 100, 5, 100],
    ['control empty', 0, 0, 5, 100],
    ['arm empty', 5, 100, 0, 0],
  ])('uplift is null when %s', (_, cA, nA, cB, nB) => {
    expect(relativeUplift(cA, nA, cB, nB)).toBeNull();
  });

  it('uplift of an arm with 0 conversions is −100 %, with an interval starting at −100 %', () => {
    const u = relativeUplift(10, 100, 0, 100)!;
    expect(u.relative).toBe(-1);
    expect(u.ci[0]).toBe(-1);
    expect(u.ci[1]).toBeGreaterThan(-1);
    expect(u.ci[1]).toBeLessThan(0);
  });

  it('chance to beat control: complementary, ½ with no data, exact tiny case', () => {
    expect(chanceToBeatControl(0, 0, 0, 0)).toBeCloseTo(0.5, 12);
    expect(chanceToBeatControl(7, 40, 9, 35) + chanceToBeatControl(9, 35, 7, 40)).toBeCloseTo(1, 12);
    // Beta(1,4) vs Beta(4,1): P = 1 − 1/70 (hand-computed: Σ_{i<4} B(1+i,5)/((1+i)·B(1+i,1)·B(1,4))).
    expect(chanceToBeatControl(0, 3, 3, 3)).toBeCloseTo(69 / 70, 12);
  });

  it('chance to beat control at n = 10^6 with a 50 % rate (the longest loop) agrees with the normal approximation', () => {
    const p = chanceToBeatControl(500_000, 1_000_000, 501_000, 1_000_000);
    // Posterior means/variances of Beta(1+c, 1+n−c); P(B > A) ≈ Φ(Δ / sd), accurate at this size.
    const beta = (c: number, n: number) => {
      const a = 1 + c,
        b = 1 + n - c;
      return { mean: a / (a + b), variance: (a * b) / ((a + b) ** 2 * (a + b + 1)) };
    };
    const A = beta(500_000, 1_000_000),
      B = beta(501_000, 1_000_000);
    const z = (B.mean - A.mean) / Math.sqrt(A.variance + B.variance);
    const phi = 0.5 * (1 + erf(z / Math.SQRT2));
    expect(p).toBeCloseTo(phi, 3);
  });

  it.each([
    [11, 10],
    [-1, 10],
    [1.5, 10],
    [NaN, 10],
  ])('bad counts (%s of %s) throw instead of producing a wrong number', (c, n) => {
    expect(() => wilsonInterval(c, n)).toThrow(RangeError);
    expect(() => chanceToBeatControl(c, n, 1, 10)).toThrow(RangeError);
  });
});

describe('srmTest', () => {
  it('skips a weight-0 arm even when it has visitors, and normalizes the rest', () => {
    const withPaused = srmTest([500, 40, 500], [0.4, 0, 0.4]);
    const without = srmTest([500, 500], [0.5, 0.5]);
    expect(withPaused.pValue).toBeCloseTo(1, 12);
    expect(withPaused).toEqual(without);
  });

  it('does not judge while any judged arm has fewer than 8 visitors', () => {
    expect(srmTest([7, 200], [0.5, 0.5])).toEqual({ pValue: null, ok: true });
    expect(srmTest([8, 200], [0.5, 0.5]).pValue).not.toBeNull();
  });

  it('flags a clearly broken split', () => {
    const r = srmTest([5000, 3300, 1700], [0.5, 0.3, 0.2]);
    expect(r.ok).toBe(false);
    expect(r.pValue).toBeLessThan(0.001);
  });
});

describe('requiredVisitorsPerArm', () => {
  it('ignores the sign of the uplift and plans for 20 % when none is observed', () => {
    expect(requiredVisitorsPerArm(0.05, -0.2)).toBe(requiredVisitorsPerArm(0.05, 0.2));
    expect(requiredVisitorsPerArm(0.05, 0)).toBe(requiredVisitorsPerArm(0.05, 0.2));
    expect(requiredVisitorsPerArm(0.05, 0.2)).toBe(8158);
  });
  it.each([0, 1, -0.1, 1.2])('null for control CVR %s', (cvr) => expect(requiredVisitorsPerArm(cvr, 0.2)).toBeNull());
});

describe('alwaysValid', () => {
  it('null when an arm has no visitors', () => {
    expect(alwaysValid(0, 0, 1, 10)).toBeNull();
  });
  it('identical rates: p = 1 and an interval around 0', () => {
    const r = alwaysValid(100, 2000, 100, 2000)!;
    expect(r.pValue).toBe(1);
    expect(r.diffCI[0]).toBeLessThan(0);
    expect(r.diffCI[1]).toBeGreaterThan(0);
  });
  it('is wider than the fixed-horizon interval (the price of peeking freely)', () => {
    const r = alwaysValid(500, 10_000, 600, 10_000)!;
    const fixedHalf = 1.96 * Math.sqrt((0.05 * 0.95 + 0.06 * 0.94) / 10_000);
    expect((r.diffCI[1] - r.diffCI[0]) / 2).toBeGreaterThan(fixedHalf);
    expect(r.pValue).toBeGreaterThan(twoProportionZTest(500, 10_000, 600, 10_000)!);
  });
  it('p < 0.05 exactly when the difference interval excludes 0', () => {
    for (const [cA, cB] of [
      [500, 560],
      [500, 600],
      [500, 620],
      [500, 640],
      [500, 420],
    ] as const) {
      const r = alwaysValid(cA, 10_000, cB, 10_000)!;
      expect(r.pValue < 0.05).toBe(r.diffCI[0] > 0 || r.diffCI[1] < 0);
    }
  });
});

const arm = (visitors: number, conversions: number, weight = 0.5) => ({ visitors, conversions, weight });
function verdictFor(a: ReturnType<typeof arm>, b: ReturnType<typeof arm>, extra: Partial<VerdictInput> = {}): Verdict {
  return verdict({
    control: a,
    arm: b,
    totalWeight: 1,
    alwaysValid: alwaysValid(a.conversions, a.visitors, b.conversions, b.visitors),
    srmOk: true,
    ...extra,
  });
}

describe('verdict', () => {
  it.each([
    ['clear winner', arm(20_000, 1000), arm(20_000, 1300), 'winner'],
    ['clear loser', arm(20_000, 1300), arm(20_000, 1000), 'loser'],
    ['equal at huge n', arm(2_000_000, 100_000), arm(2_000_000, 100_000), 'no_difference'],
    // CI ≈ ±0.0049 sits inside ±10 % of 5 % = ±0.005 …
    ['equal, CI just inside ±10 % of control', arm(40_000, 2000), arm(40_000, 2000), 'no_difference'],
    // … CI ≈ ±0.0067 does not (it would inside ±20 %): the band is 10 %, not wider.
    ['equal, CI outside ±10 % of control', arm(20_000, 1000), arm(20_000, 1000), 'keep_running'],
    ['promising but early', arm(1000, 50), arm(990, 72), 'keep_running'],
    ['striking but tiny (n < 100)', arm(50, 0), arm(50, 25), 'keep_running'],
    ['control converts nobody, equal arms', arm(5000, 0), arm(5000, 0), 'keep_running'],
  ] as const)('%s → %s', (_, a, b, kind) => {
    expect(verdictFor(a, b).verdict).toBe(kind);
  });

  it('SRM problem overrides everything', () => {
    expect(verdictFor(arm(20_000, 1000), arm(20_000, 1300), { srmOk: false })).toEqual({
      verdict: 'srm_problem',
      moreVisitorsNeeded: null,
      moreDays: null,
    });
  });

  it('keep_running estimates visitors and days, and the estimate is self-consistent', () => {
    const a = arm(1000, 50);
    const b = arm(990, 72);
    const v = verdictFor(a, b, { visitorsPerDay: 300 });
    expect(v.verdict).toBe('keep_running');
    expect(v.moreVisitorsNeeded).toBeGreaterThan(0);
    expect(v.moreDays).toBe(Math.ceil(v.moreVisitorsNeeded! / 300));
    // Feed the projected visitors at the same rates: the test must then be decided.
    const s = v.moreVisitorsNeeded! + 2;
    const grow = (x: typeof a) => {
      const n = Math.round(x.visitors + s * x.weight);
      return arm(n, Math.round((x.conversions / x.visitors) * n), x.weight);
    };
    expect(verdictFor(grow(a), grow(b)).verdict).not.toBe('keep_running');
    // …and at half of it, not yet.
    const half = (x: typeof a) => {
      const n = Math.round(x.visitors + (s / 2) * x.weight);
      return arm(n, Math.round((x.conversions / x.visitors) * n), x.weight);
    };
    expect(verdictFor(half(a), half(b)).verdict).toBe('keep_running');
  });

  it('keep_running without traffic information or with an empty arm leaves what it cannot know null', () => {
    expect(verdictFor(arm(1000, 50), arm(990, 72)).moreDays).toBeNull();
    expect(verdictFor(arm(0, 0), arm(0, 0), { visitorsPerDay: 100 })).toEqual({
      verdict: 'keep_running',
      moreVisitorsNeeded: null,
      moreDays: null,
    });
  });

  it('below the minimum sample, at least the shortfall is asked for', () => {
    const v = verdictFor(arm(50, 0), arm(50, 25));
    expect(v.moreVisitorsNeeded).toBeGreaterThanOrEqual(100);
  });
});

describe('verdictMessage', () => {
  it.each([
    [
      { verdict: 'winner', moreVisitorsNeeded: null, moreDays: null },
      '勝ち: コントロールより成果が高いと言えます',
      'Winner: converts better than control',
    ],
    [
      { verdict: 'loser', moreVisitorsNeeded: null, moreDays: null },
      '負け: コントロールより成果が低いと言えます',
      'Loser: converts worse than control',
    ],
    [
      { verdict: 'no_difference', moreVisitorsNeeded: null, moreDays: null },
      '有意な差なし: 実質的な差はほとんどありません',
      'No meaningful difference from control',
    ],
    [
      { verdict: 'keep_running', moreVisitorsNeeded: 11_873, moreDays: 5 },
      '継続 (あと約 12,000 人・約 5 日)',
      'Keep running (about 12,000 more visitors, about 5 more days)',
    ],
    [
      { verdict: 'keep_running', moreVisitorsNeeded: 240, moreDays: 1 },
      '継続 (あと約 240 人・約 1 日)',
      'Keep running (about 240 more visitors, about 1 more day)',
    ],
    [
      { verdict: 'keep_running', moreVisitorsNeeded: 3693, moreDays: null },
      '継続 (あと約 3,700 人)',
      'Keep running (about 3,700 more visitors)',
    ],
    [
      { verdict: 'keep_running', moreVisitorsNeeded: null, moreDays: null },
      '継続 (判断にはまだデータが足りません)',
      'Keep running (not enough data yet)',
    ],
  ] as Array<[Verdict, string, string]>)('%j', (v, ja, en) => {
    expect(verdictMessage(v, 'ja')).toBe(ja);
    expect(verdictMessage(v, 'en')).toBe(en);
  });

  it('SRM message names the problem in both languages', () => {
    const v: Verdict = { verdict: 'srm_problem', moreVisitorsNeeded: null, moreDays: null };
    expect(verdictMessage(v, 'ja')).toContain('割付の偏り(SRM)あり');
    expect(verdictMessage(v, 'en')).toContain('Sample ratio mismatch');
  });

  it.each([
    [0, 0],
    [7, 7],
    [99, 99],
    [101, 110],
    [11_873, 12_000],
    [240_177, 250_000],
  ])('roundUpAbout(%s) = %s', (n, r) => expect(roundUpAbout(n)).toBe(r));
});

describe('cumulativeSeries', () => {
  it('accumulates per arm, fills days an arm had no row, sorts days, adds duplicate rows', () => {
    const rows: DailyRow[] = [
      { day: '2026-11-02', arm: 'control', exposures: 120, conversions: 7 },
      { day: '2026-11-01', arm: 'control', exposures: 100, conversions: 5 },
      { day: '2026-11-02', arm: 'case_a', exposures: 60, conversions: 4 },
      { day: '2026-11-02', arm: 'case_a', exposures: 50, conversions: 5 },
    ];
    expect(cumulativeSeries(rows)).toEqual([
      {
        arm: 'control',
        points: [
          { day: '2026-11-01', visitors: 100, conversions: 5, cvr: 0.05 },
          { day: '2026-11-02', visitors: 220, conversions: 12, cvr: 12 / 220 },
        ],
      },
      {
        arm: 'case_a',
        points: [
          { day: '2026-11-01', visitors: 0, conversions: 0, cvr: null },
          { day: '2026-11-02', visitors: 110, conversions: 9, cvr: 9 / 110 },
        ],
      },
    ]);
  });
  it('numeric days sort numerically (9 before 10)', () => {
    const s = cumulativeSeries([
      { day: 10, arm: 'a', exposures: 1, conversions: 0 },
      { day: 9, arm: 'a', exposures: 2, conversions: 1 },
    ]);
    expect(s[0]!.points.map((p) => p.day)).toEqual([9, 10]);
    expect(s[0]!.points[1]!.visitors).toBe(3);
  });
  it('empty input → no arms', () => expect(cumulativeSeries([])).toEqual([]));
});

const meta = { id: 'exp_1', slot: 'hero', segment: 'consideration', goal: 'form_inquiry', status: 'running' };

describe('computeExperimentResults (docs/api.md#experiment-results)', () => {
  const arms: ArmInput[] = [
    { key: 'control', isControl: true, weight: 0.34, visitors: 1000, conversions: 50 },
    { key: 'case_a', isControl: false, weight: 0.33, visitors: 990, conversions: 72 },
    { key: 'case_b', isControl: false, weight: 0.33, visitors: 1010, conversions: 49 },
  ];
  const r = computeExperimentResults({ experiment: meta, arms, visitorsPerDay: 300 });

  it('has the contract shape', () => {
    expect(Object.keys(r).sort()).toEqual(['arms', 'enoughData', 'experiment', 'requiredVisitorsPerArm', 'srm', 'visitorsPerDay']);
    expect(r.experiment).toEqual(meta);
    for (const a of r.arms) {
      for (const k of ['key', 'isControl', 'weight', 'visitors', 'conversions', 'cvr', 'ci', 'uplift', 'pValue', 'chanceToBeatControl']) {
        expect(a).toHaveProperty(k);
      }
    }
  });

  it('control carries no comparison; the contract example arm matches its numbers', () => {
    const [control, a] = r.arms;
    expect(control).toMatchObject({
      key: 'control',
      isControl: true,
      cvr: 0.05,
      uplift: null,
      pValue: null,
      chanceToBeatControl: null,
      verdict: null,
      alwaysValid: null,
    });
    expect(control!.ci[0]).toBeCloseTo(0.0381, 4);
    expect(control!.ci[1]).toBeCloseTo(0.0653, 4);
    expect(a!.cvr).toBe(0.0727);
    expect(a!.ci).toEqual([0.0581, 0.0906]);
    expect(a!.uplift!.relative).toBe(0.4545);
    expect(a!.pValue).toBeCloseTo(0.0346, 4); // the contract's 0.034, unrounded
    expect(a!.chanceToBeatControl).toBeCloseTo(0.983, 3);
    expect(a!.verdict).toBe('keep_running');
    expect(a!.message!.ja).toMatch(/^継続 \(あと約 [\d,]+ 人・約 \d+ 日\)$/);
  });

  it('plans the sample size for the largest observed |uplift|, and enoughData follows it', () => {
    expect(r.requiredVisitorsPerArm).toBe(requiredVisitorsPerArm(0.05, 72 / 990 / 0.05 - 1));
    expect(r.enoughData).toBe(false);
    const big = computeExperimentResults({
      experiment: meta,
      arms: arms.map((a) => ({ ...a, visitors: a.visitors * 10, conversions: a.conversions * 10 })),
    });
    expect(big.enoughData).toBe(true);
  });

  it('3 arms with unequal weights 0.5/0.3/0.2 and a broken split → every treatment arm srm_problem', () => {
    const broken = computeExperimentResults({
      experiment: meta,
      arms: [
        { key: 'control', isControl: true, weight: 0.5, visitors: 5000, conversions: 250 },
        { key: 'case_a', isControl: false, weight: 0.3, visitors: 3300, conversions: 200 },
        { key: 'case_b', isControl: false, weight: 0.2, visitors: 1700, conversions: 80 },
      ],
    });
    expect(broken.srm.ok).toBe(false);
    expect(broken.arms.slice(1).map((a) => a.verdict)).toEqual(['srm_problem', 'srm_problem']);
    expect(broken.arms[1]!.message!.ja).toContain('割付の偏り(SRM)あり');
  });

  it('a fresh experiment (nobody yet, a paused arm) produces nulls, not NaN', () => {
    const fresh = computeExperimentResults({
      experiment: meta,
      arms: [
        { key: 'control', isControl: true, weight: 0.5, visitors: 0, conversions: 0 },
        { key: 'case_a', isControl: false, weight: 0.5, visitors: 0, conversions: 0 },
        { key: 'old', isControl: false, weight: 0, visitors: 0, conversions: 0 },
      ],
    });
    expect(JSON.stringify(fresh)).not.toMatch(/NaN|Infinity/);
    expect(fresh.srm).toEqual({ pValue: null, ok: true });
    expect(fresh.requiredVisitorsPerArm).toBeNull();
    expect(fresh.enoughData).toBe(false);
    expect(fresh.arms[1]).toMatchObject({
      cvr: 0,
      ci: [0, 1],
      uplift: null,
      pValue: null,
      chanceToBeatControl: null,
      alwaysValid: null,
      verdict: 'keep_running',
    });
  });

  it('everyone converted / nobody converted in the control does not break anything', () => {
    for (const c of [0, 200]) {
      const x = computeExperimentResults({
        experiment: meta,
        arms: [
          { key: 'control', isControl: true, weight: 0.5, visitors: 200, conversions: c },
          { key: 'case_a', isControl: false, weight: 0.5, visitors: 210, conversions: c === 0 ? 3 : 210 },
        ],
      });
      expect(JSON.stringify(x)).not.toMatch(/NaN|Infinity/);
      expect(x.requiredVisitorsPerArm).toBeNull();
    }
  });

  it('with a daily series: derives visitors/day from the last 7 days and uses the running looks', () => {
    const daily: DailyRow[] = [];
    // Arm B leads strongly early on, then the gap closes: the running minimum remembers the early evidence.
    const days = [
      [400, 10, 400, 40],
      [400, 30, 400, 10],
      [400, 30, 400, 15],
      [400, 30, 400, 25],
    ];
    for (let d = 0; d < 12; d++) {
      const [nA, cA, nB, cB] = days[Math.min(d, 3)]!;
      daily.push({ day: d, arm: 'control', exposures: nA!, conversions: cA! });
      daily.push({ day: d, arm: 'case_a', exposures: nB!, conversions: cB! });
    }
    const totals = (key: string) =>
      daily.filter((r) => r.arm === key).reduce((s, r) => ({ v: s.v + r.exposures, c: s.c + r.conversions }), { v: 0, c: 0 });
    const c = totals('control');
    const b = totals('case_a');
    const armsIn: ArmInput[] = [
      { key: 'control', isControl: true, weight: 0.5, visitors: c.v, conversions: c.c },
      { key: 'case_a', isControl: false, weight: 0.5, visitors: b.v, conversions: b.c },
    ];
    const withHistory = computeExperimentResults({ experiment: meta, arms: armsIn, daily });
    const withoutHistory = computeExperimentResults({ experiment: meta, arms: armsIn });
    expect(withHistory.visitorsPerDay).toBe(800);
    expect(withoutHistory.visitorsPerDay).toBeNull();
    expect(withHistory.arms[1]!.alwaysValid!.pValue).toBeLessThan(withoutHistory.arms[1]!.alwaysValid!.pValue);
  });
});

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7): an independent Φ for the check above. */
function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}
