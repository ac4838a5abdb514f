/**
 * How the isolate counts a rate-limit key before the binding hears of it: which requests ask the
 * binding, with what delta, and what a key can get past the limit — against a model of the
 * binding as documented (a fixed window counter: a call is allowed while the count is below the
 * limit, and adds its delta).
 */
import { describe, expect, it } from 'vitest';
import { answered, type CountStep, countStep, counted, type KeyCount, PERIOD_MS, REPORT_EVERY } from '../../worker/core/rate-count';
import cases from './cases/rate-count.json';

const label = (step: CountStep) => (step.kind === 'ask' ? `ask ${step.delta}` : step.kind);

interface Request {
  at: number;
  binding?: boolean;
  step: string;
}

describe('countStep', () => {
  it.each(cases.sequences as { name: string; requests: Request[] }[])('$name', ({ requests }) => {
    let count: KeyCount | undefined;
    const steps: string[] = [];
    for (const r of requests) {
      const step = countStep(count, r.at);
      steps.push(label(step));
      count = counted(count, step, r.at);
      if (step.kind === 'ask') count = answered(count, r.binding ?? true, r.at);
    }
    expect(steps).toEqual(requests.map((r) => r.step));
  });

  it('a request arriving while the binding answers is counted once, not handed over twice', () => {
    let count: KeyCount | undefined;
    for (let i = 0; i < REPORT_EVERY - 1; i++) count = counted(count, countStep(count, 1000 + i), 1000 + i);
    const asking = countStep(count, 1100);
    expect(asking).toEqual({ kind: 'ask', delta: REPORT_EVERY });
    count = counted(count, asking, 1100);
    // Meanwhile: counted as the first of the next report.
    const meanwhile = countStep(count, 1101);
    expect(meanwhile).toEqual({ kind: 'allow' });
    count = counted(count, meanwhile, 1101);
    count = answered(count, true, 1100);
    expect(count.unreported).toBe(1);
  });

  it('an answer that arrives after its window ended leaves the new window alone', () => {
    let count: KeyCount | undefined;
    for (let i = 0; i < REPORT_EVERY - 1; i++) count = counted(count, countStep(count, 59_000), 59_000);
    const asking = countStep(count, 59_990);
    count = counted(count, asking, 59_990);
    count = counted(count, countStep(count, 60_001), 60_001);
    count = answered(count, false, 59_990);
    expect(count).toEqual({ window: 1, unreported: 1, refused: false });
  });
});

/** One key sending `rate` requests per second for `seconds`, through one isolate, to a binding counting each window. */
function simulate(limit: number, rate: number, seconds: number) {
  let count: KeyCount | undefined;
  const binding = new Map<number, number>();
  let calls = 0;
  const allowedPerWindow = new Map<number, number>();
  for (let i = 0; i < rate * seconds; i++) {
    const at = Math.floor((i * 1000) / rate);
    const window = Math.floor(at / PERIOD_MS);
    const step = countStep(count, at);
    count = counted(count, step, at);
    let ok = step.kind === 'allow';
    if (step.kind === 'ask') {
      calls++;
      const n = binding.get(window) ?? 0;
      ok = n < limit;
      if (ok) binding.set(window, n + step.delta);
      count = answered(count, ok, at);
    }
    if (ok) allowedPerWindow.set(window, (allowedPerWindow.get(window) ?? 0) + 1);
  }
  return { calls, allowedPerWindow, binding };
}

describe('one key through the isolate against the binding', () => {
  it.each([
    { name: 'a visitor browsing (1 page / 20 s)', rate: 0.05, seconds: 600, calls: 0 },
    { name: 'a busy visitor (1 / s)', rate: 1, seconds: 300, calls: 50 },
    { name: 'a replaying script (20 / s)', rate: 20, seconds: 300, calls: 5 * 21 },
  ])('$name: at most the limit + 2 × REPORT_EVERY − 1 per window, one call per REPORT_EVERY requests', ({ rate, seconds, calls }) => {
    const limit = 120;
    const out = simulate(limit, rate, seconds);
    expect(out.calls).toBe(calls);
    for (const [window, allowed] of out.allowedPerWindow) {
      expect(allowed).toBeLessThanOrEqual(limit + 2 * REPORT_EVERY - 1);
      // The binding counted all but the window's last unreported requests.
      expect(out.binding.get(window) ?? 0).toBeGreaterThan(allowed - REPORT_EVERY);
      // Over the limit: refused past it in every full window.
      if (rate * 60 > limit) expect(allowed).toBeGreaterThanOrEqual(limit);
      else expect(allowed).toBe(rate * 60);
    }
  });
});
