/**
 * @module
 * Display rounding shared by the reports, the same as `computeExperimentResults` applies, so
 * the lift page and the results page show a number the same way.
 */

/** Rates to 4 decimals (0.01 percentage point). */
export const rate = (x: number) => Math.round(x * 1e4) / 1e4;
/** p-values to 4 significant digits: a p of 3e-9 must not round to 0. */
export const sig = (x: number) => (x === 0 ? 0 : Number(x.toPrecision(4)));
export const pair = (f: (x: number) => number, [a, b]: [number, number]): [number, number] => [f(a), f(b)];
