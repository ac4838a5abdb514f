/**
 * @module
 * Query shapes of the member list, its CSV export and the CSV import (`/api/members*`). The
 * worker validates with them and the console builds its requests from the same types.
 */
import { z } from 'zod';
import { slug, Tier } from './config';

/**
 * Query parameters arrive as text; one given empty (`?tier=`) is the same as one not given.
 * Each helper keeps the input type `string | undefined`, so the typed client sends strings.
 */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));
const choice = <T extends string>(values: readonly T[]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      if (!(values as readonly string[]).includes(v)) {
        ctx.addIssue({ code: 'invalid_value', values: [...values], input: v, message: `one of ${values.join(', ')}` });
        return z.NEVER;
      }
      return v as T;
    });
const number = (min: number, max: number, integer: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      const n = Number(v);
      if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
        ctx.addIssue({
          code: 'custom',
          message: `${integer ? 'an integer' : 'a number'} from ${min} to ${max}`,
          params: { reason: 'number_range', minimum: min, maximum: max, integer },
        });
        return z.NEVER;
      }
      return n;
    });
const days = number(1, 3650, true);
const flag = choice(['true', 'false', '1', '0'] as const).transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));
const slugText = text(64).pipe(z.union([slug, z.undefined()]));

export const MemberSort = z.enum(['score', 'lastActive']);
export type MemberSort = z.infer<typeof MemberSort>;

export const MemberFilters = z.object({
  /** Tier as of now (decay applied). */
  tier: choice(Tier.options),
  /** Segment key as of now (the first matching segment, evaluated at request time). */
  segment: slugText,
  /** Current score at least this. */
  minScore: number(0, 1_000_000, false),
  /** Last activity less than N days (N × 24 h) ago. */
  activeWithinDays: days,
  /** Last activity at least N days ago (members never active are not "inactive"). */
  inactiveForDays: days,
  /** Member id prefix, or text contained in any trait value (case-insensitive, NFKC). */
  q: text(128),
  sort: choice(MemberSort.options),
});
/** Every field optional: services are called with only the filters that are set. */
export type MemberFilters = Partial<z.infer<typeof MemberFilters>>;

export const MemberListQuery = MemberFilters.extend({
  limit: number(1, 200, true),
  cursor: text(512),
});
export type MemberListQuery = z.input<typeof MemberListQuery>;

export const CsvEncoding = z.enum(['utf-8', 'shift_jis']);
export type CsvEncoding = z.infer<typeof CsvEncoding>;

export const MemberExportQuery = MemberFilters.extend({ encoding: choice(CsvEncoding.options) });
export type MemberExportQuery = z.input<typeof MemberExportQuery>;

/** header → trait key (`member_id` for the id column), or null / "" to leave the column out. */
export const ImportMapping = z.record(z.string().max(200), z.union([z.string().max(64), z.null()]));

export const MemberImportQuery = z.object({
  /** Validate and report what would change; write nothing. */
  dryRun: flag,
  /** Import the valid rows and report the others, instead of refusing the whole file. */
  skipInvalid: flag,
  /** Overrides detection (BOM → UTF-8, valid UTF-8 → UTF-8, else Shift_JIS). */
  encoding: choice(CsvEncoding.options),
  /** JSON object, header → trait key. */
  mapping: text(8000).transform((json, ctx) => {
    if (json === undefined) return undefined;
    try {
      const parsed = ImportMapping.safeParse(JSON.parse(json));
      if (parsed.success) return parsed.data;
    } catch {
      // reported below
    }
    ctx.addIssue({
      code: 'custom',
      message: 'mapping must be a JSON object of header → trait key (or null)',
      params: { reason: 'mapping_json' },
    });
    return z.NEVER;
  }),
});
export type MemberImportQuery = z.input<typeof MemberImportQuery>;

/** Largest import body (bytes) and number of data rows. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 100_000;
