/**
 * @module
 * Inputs of the segment history API, shared by the worker (validation) and the console.
 */
import { z } from 'zod';

/** `?days=90`: how many site days back (a query value is text). */
export const HistoryQuery = z.object({
  days: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return 90;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 365) {
        ctx.addIssue({
          code: 'custom',
          message: 'an integer from 1 to 365',
          params: { reason: 'number_range', minimum: 1, maximum: 365, integer: true },
        });
        return z.NEVER;
      }
      return n;
    }),
});

export const BackfillRequest = z.object({
  /** Days before today to rebuild from the events (the profile's 90-day window at most). */
  days: z.number().int().min(1).max(90),
});
export type BackfillRequest = z.input<typeof BackfillRequest>;
