/**
 * @module
 * The change log's shapes (`GET /api/changes`, `POST /api/changes/:id/restore`): which
 * entities are logged, the actions, the list query and one entry as the API returns it. The
 * worker validates with them and the console builds its requests and views from the same types.
 */
import { z } from 'zod';

/**
 * What can be changed (and so logged and restored). Singletons use a fixed `entityId`:
 * `scoring`, `categories`, `vocabulary`, `site` (site settings), and `order` for the segments'
 * match order. `model` is a propensity model (id: its key); `alert_secret` is the rotation of an
 * alert's signing secret (id: the alert's), logged as `{name, secret: 'rotated'}` — never the
 * secret itself — and not restorable (an old secret is never kept).
 */
export const changeEntities = [
  'segment',
  'segment_order',
  'scoring',
  'categories',
  'slot',
  'variant',
  'experiment',
  'vocabulary',
  'alert',
  'site',
  'model',
  'alert_secret',
] as const;
export const ChangeEntity = z.enum(changeEntities);
export type ChangeEntity = z.infer<typeof ChangeEntity>;

export const changeActions = ['create', 'update', 'delete', 'restore'] as const;
export type ChangeAction = (typeof changeActions)[number];

/** The actor of a change made with the shared admin token, outside Cloudflare Access. */
export const ADMIN_TOKEN_ACTOR = 'admin-token';

/** `<at ms>.<id>` of the last entry of the previous page (newest first). */
const CURSOR = /^\d{1,15}\.[A-Za-z0-9_-]{1,64}$/;

export const ChangeQuery = z.object({
  entity: ChangeEntity.optional(),
  entityId: z.string().min(1).max(128).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .optional()
    .refine((v) => v === undefined || CURSOR.test(v), {
      message: 'cursor is not one this API returned',
      params: { reason: 'invalid_cursor' },
    }),
});
export type ChangeQuery = z.output<typeof ChangeQuery>;

/** One entry of the log. `before` is null for a creation, `after` for a deletion. */
export interface Change {
  id: string;
  /** ISO 8601. */
  at: string;
  actor: string;
  entity: ChangeEntity;
  entityId: string;
  action: ChangeAction;
  before: unknown;
  after: unknown;
  /** For a restore: the entry whose `before` was put back. */
  restoredFrom: string | null;
}

export interface ChangePage {
  items: Change[];
  nextCursor: string | null;
}

/** What a restore answers: its own log entry; a re-created alert's new signing secret, shown once. */
export interface RestoreResult {
  change: Change;
  secret?: string;
}
