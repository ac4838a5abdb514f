/**
 * @module
 * Request and response shapes of the public and server API (docs/api.md#events, §4).
 * The worker validates with these; the admin and tests import the inferred types.
 */
import { z } from 'zod';
import { EventType, Scalar, Traits, slug } from './config';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_PROPS_BYTES = 2 * 1024;
/** Browser event times: at most 30 days old and 5 minutes ahead (docs/api.md#events). */
export const BROWSER_MAX_AGE_MS = 30 * 86_400_000;
export const BROWSER_MAX_AHEAD_MS = 5 * 60_000;

export const VisitorId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'visitorId: 16–64 characters of A–Z a–z 0–9 _ -');
/** No spaces, slashes, control or format characters (bidi overrides, zero-width): an id must read as it is. */
export const MemberId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[^\s/\p{Cc}\p{Cf}]+$/u, 'memberId: no spaces, slashes, control or invisible characters');
export const EventId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'id: 8–64 characters of A–Z a–z 0–9 _ -');

export const MAX_PROP_STRING = 256;
/** Props are flat: nothing nested can be sent, so nothing deep can be stored, counted or thrown on. */
const PropValue = z.union([z.string().max(MAX_PROP_STRING), z.number().finite(), z.boolean()]);
const Props = z
  .record(z.string().max(64), PropValue)
  .refine((p) => new TextEncoder().encode(JSON.stringify(p)).length <= MAX_PROPS_BYTES, 'props must be at most 2 KB as JSON');

/**
 * Props each event type must carry (docs/api.md#events). Exported so the server SDK's event
 * types are generated from them (packages/server-sdk, `npm run build:sdk`).
 */
export const EventPropsByType = {
  download: z.object({ asset: z.string().min(1).max(500), kind: slug.optional() }),
  video_view: z.object({ video: z.string().min(1).max(200) }),
  email_open: z.object({ campaign: z.string().min(1).max(200) }),
  email_click: z.object({ campaign: z.string().min(1).max(200) }),
  seminar_signup: z.object({ seminar: z.string().min(1).max(200) }),
  seminar_attend: z.object({ seminar: z.string().min(1).max(200) }),
  form_inquiry: z.object({ form: z.string().min(1).max(200) }),
  survey_answer: z.object({ survey: z.string().min(1).max(200) }),
  conversion: z.object({ goal: slug, value: z.number().finite().optional() }),
  custom: z.object({ name: slug }),
  page_view: z.object({ category: slug.optional() }),
} satisfies Partial<Record<EventType, z.ZodType>>;
const requiredProps: Partial<Record<EventType, z.ZodType>> = EventPropsByType;

export const Event = z
  .object({
    id: EventId,
    type: EventType,
    at: z.iso.datetime({ offset: true }).optional(),
    url: z.string().max(2048).optional(),
    props: Props.default({}),
  })
  .superRefine((e, ctx) => {
    const shape = requiredProps[e.type];
    if (!shape) return;
    const r = shape.safeParse(e.props);
    if (!r.success) {
      for (const issue of r.error.issues)
        ctx.addIssue({ code: 'custom', path: ['props', ...issue.path.map(String)], message: issue.message });
    }
  });
export type Event = z.infer<typeof Event>;

/** Envelopes check the array, not each event: a bad event is rejected alone (docs/api.md#http-api). */
const EventList = (min: number) => z.array(z.unknown()).min(min).max(50);

export const DecideRequest = z.object({
  /** Absent on a browser's first page: the worker makes one (answered as `visitorId`), with no read. */
  visitorId: VisitorId.optional(),
  url: z.string().max(2048).optional(),
  slots: z.array(slug).min(1).max(20),
  events: EventList(0).default([]),
  /** Signed "preview as segment" token from the admin: decide without writing anything. */
  preview: z.string().max(2048).optional(),
  /** The profile token of the previous answer (docs/storage.md#read-your-writes). */
  token: z.string().max(1024).optional(),
  /**
   * `visitorId` was made by the client for this very request (a browser's first page): nothing
   * can be stored under it, so the worker answers from an empty profile without reading storage.
   */
  new: z.literal(true).optional(),
});
export type DecideRequest = z.infer<typeof DecideRequest>;

export const CollectRequest = z.object({
  visitorId: VisitorId,
  events: EventList(1),
  /** The profile token of the last decide: a page still in the writes queue stays counted (docs/storage.md). */
  token: z.string().max(1024).optional(),
});
export const IdentifyRequest = z.object({ visitorId: VisitorId, token: z.string().min(1).max(8192) });
export const ServerCollectRequest = z.object({ memberId: MemberId, events: EventList(1) });
export const TraitsUpsertRequest = z.object({ traits: Traits });

export interface Decision {
  variant: string | null;
  experiment: string | null;
  arm: string | null;
  content: { html: string } | null;
}

export interface DecideResponse {
  visitorId: string;
  segment: { key: string; name: string } | null;
  slots: Record<string, Decision | null>;
  degraded?: true;
  preview?: true;
  rejected?: Rejected[];
  /** Signed profile token for the next decide of this visitor (docs/storage.md#read-your-writes). */
  token?: string;
}

export interface Rejected {
  index: number;
  error: string;
}

export interface CollectResponse {
  accepted: number;
  duplicates: number;
  rejected: Rejected[];
  segment: string | null;
  /** The next decide's profile token, when the request's token carried a page D1 lacks yet (docs/storage.md). */
  token?: string;
}

export interface VisitorSummary {
  visitorId: string;
  memberId: string | null;
  traits: z.infer<typeof Traits>;
  score: number;
  /** Fit points (trait-testing scoring rules): beside the score, no decay, no tier. */
  fit: number;
  tier: 'hot' | 'warm' | 'cold';
  segment: string | null;
  lastActiveAt: string | null;
}

export { Scalar, Traits };
