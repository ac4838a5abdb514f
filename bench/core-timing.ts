/**
 * CPU time of the pure decision (apply events → resolve segment → decide slots) for a config,
 * measured in Node: inside workerd the clock only moves on I/O, so this is how the bench shows
 * what the configuration itself costs. Bundled on the fly by bench/run.mjs with esbuild.
 */
import { compileConfig } from '../worker/core/compile';
import { decideSlots } from '../worker/core/decide';
import { applyEvents, emptyProfile } from '../worker/core/profile';
import { resolveSegment } from '../worker/core/segments';
import type { SiteConfig } from '../worker/schema/config';

export function timeDecisions(config: SiteConfig, slots: string[], iterations: number): { p50: number; p99: number } {
  const compiled = compileConfig(config);
  const times: number[] = [];
  const now = Date.now();
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const { profile } = applyEvents(
      emptyProfile(),
      [{ id: `e${i}`, type: 'page_view', at: now, props: { category: i % 2 ? 'pricing' : 'blog' } }],
      compiled.source.scoring,
      { now, retentionDays: compiled.retentionDays },
    );
    const traits: Record<string, string | number> = i % 3 ? { industry: 'SaaS', employees: 120 } : {};
    const segment = resolveSegment(compiled.segments, { traits, profile, now, settings: compiled.source.scoring.settings });
    decideSlots(compiled, segment?.key ?? null, slots, `visitor-${i}-xxxxxxxxxxxx`, profile);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(iterations / 2)]!, p99: times[Math.floor(iterations * 0.99)]! };
}
