/** Types for sql.mjs (plain JavaScript so Node scripts and workerd tests share it). */
export function configStatements(config?: unknown): string[];
export function demoSeedSql(): string;
export const demo: {
  scoring: { settings: unknown; rules: unknown[] };
  categories: unknown[];
  segments: unknown[];
  slots: unknown[];
  variants: unknown[];
  experiments: unknown[];
  alerts?: unknown[];
};
