/**
 * The isolate's lease on the rate-limit binding: which requests ask the binding, with what delta,
 * and what a key can get past the limit — against a model of the binding as documented (a fixed
 * window counter: a call is allowed while the count is below the limit, and adds its delta).
 */
import { describe, expect, it } from 'vitest';
import { answered, counted, type Lease, type LeaseStep, leaseStep, MAX_UNREPORTED, PERIOD_MS } from '../../worker/core/rate-lease';
import cases from './cases/rate-lease.json';

const label = (step: LeaseStep) => (step.kind === 'ask' ? `ask ${step.delta}` : step.kind);

describe('leaseStep', () => {
  it.each(cases.sequences)('$name', ({ requests }) => {
    let lease: Lease | undefined;
    const steps: string[] = [];
    for (const r of requests as { at: number; binding?: boolean }[]) {
      const step = leaseStep(lease, r.at);
      steps.push(label(step));
      lease = counted(lease, step);
      if (step.kind === 'ask') lease = answered(lease, r.binding ?? true, r.at);
    }
    expect(steps).toEqual(requests.map((r) => r.step));
  });

  it('a request arriving while the binding answers is counted once, not handed over twice', () => {
    let lease: Lease | undefined = answered(counted(undefined, leaseStep(undefined, 1000)), true, 1000);
    for (let i = 0; i < MAX_UNREPORTED; i++) lease = counted(lease, leaseStep(lease, 1100 + i));
    const asking = leaseStep(lease, 1200);
    expect(asking).toEqual({ kind: 'ask', delta: MAX_UNREPORTED + 1 });
    lease = counted(lease, asking);
    // Meanwhile: the lease still holds, this one passes and is counted for the next call.
    const meanwhile = leaseStep(lease, 1201);
    expect(meanwhile).toEqual({ kind: 'allow' });
    lease = counted(lease, meanwhile);
    lease = answered(lease, true, 1202);
    expect(lease.unreported).toBe(1);
  });
});

/** One key sending `rate` requests per second for `seconds`, through one isolate's lease, to a binding counting each window. */
function simulate(limit: number, rate: number, seconds: number) {
  let lease: Lease | undefined;
  const windows = new Map<number, number>();
  let allowed = 0;
  let calls = 0;
  const allowedPerWindow = new Map<number, number>();
  for (let i = 0; i < rate * seconds; i++) {
    const at = Math.floor((i * 1000) / rate);
    const window = Math.floor(at / PERIOD_MS);
    const step = leaseStep(lease, at);
    lease = counted(lease, step);
    let ok = step.kind === 'allow';
    if (step.kind === 'ask') {
      calls++;
      const count = windows.get(window) ?? 0;
      ok = count < limit;
      if (ok) windows.set(window, count + step.delta);
      lease = answered(lease, ok, at);
    }
    if (ok) {
      allowed++;
      allowedPerWindow.set(window, (allowedPerWindow.get(window) ?? 0) + 1);
    }
  }
  return { allowed, calls, allowedPerWindow, counted: windows };
}

describe('one key through a lease against the binding', () => {
  it.each([
    { name: 'a visitor browsing (1 page / 20 s)', rate: 0.05, seconds: 600 },
    { name: 'a busy visitor (1 / s)', rate: 1, seconds: 300 },
    { name: 'a replaying script (20 / s)', rate: 20, seconds: 300 },
  ])('$name: at most the limit + 2 × MAX_UNREPORTED per window, and far fewer calls', ({ rate, seconds }) => {
    const limit = 120;
    const out = simulate(limit, rate, seconds);
    for (const n of out.allowedPerWindow.values()) expect(n).toBeLessThanOrEqual(limit + 2 * MAX_UNREPORTED);
    const requests = rate * seconds;
    // One call per window at least, and one per MAX_UNREPORTED + 1 requests at most (refused keys: none).
    expect(out.calls).toBeLessThanOrEqual(Math.ceil(requests / (MAX_UNREPORTED + 1)) + Math.ceil(seconds / 60));
    if (rate * 60 > limit) {
      // Over the limit: refused past it in every full window, and everything allowed was reported but the last lease's.
      for (const [w, n] of out.allowedPerWindow) if ((w + 1) * 60 <= seconds) expect(n).toBeGreaterThanOrEqual(limit);
    } else {
      expect(out.allowed).toBe(requests);
    }
    for (const [w, n] of out.counted) expect(n).toBeGreaterThanOrEqual((out.allowedPerWindow.get(w) ?? 0) - MAX_UNREPORTED);
  });
});
