/**
 * @module
 * A small closed-loop HTTP load generator: `concurrency` workers each send requests back to back
 * for `durationMs`, recording latency. Loopback only, bounded in time.
 */

/**
 * @example
 *   const r = await hammer({ durationMs: 3000, concurrency: 16, request: (i) => fetch(url) });
 *   // → { requests, rps, p50, p99, errors }
 */
export async function hammer({ durationMs, concurrency, request }) {
  const latencies = [];
  let errors = 0;
  let n = 0;
  const until = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const i = n++;
        const t0 = performance.now();
        try {
          const res = await request(i);
          await res.arrayBuffer();
          if (res.status >= 500) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests: latencies.length, rps: latencies.length / seconds, ...percentiles(latencies), errors };
}

export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { p50: at(0.5), p99: at(0.99) };
}
