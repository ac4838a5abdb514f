/**
 * @module
 * Sales handoff alerts (docs/alerts.md): the alert definition the console edits, the delivery
 * log it reads, and the message body receivers get. One source of truth for the worker's
 * validation, the pure core and the console's types.
 */
import { z } from 'zod';
import { slug } from './config';

/** What makes a member worth a message: entering a segment, or reaching a tier or a score. */
export const AlertTrigger = z.discriminatedUnion('type', [
  z.object({ type: z.literal('segment_entered'), segment: slug }),
  z.object({ type: z.literal('tier_reached'), tier: z.enum(['hot', 'warm']) }),
  z.object({ type: z.literal('score_reached'), score: z.number().int().min(1).max(100_000) }),
]);
export type AlertTrigger = z.infer<typeof AlertTrigger>;

export const alertFormats = ['standard', 'slack'] as const;
export const AlertFormat = z.enum(alertFormats);
export type AlertFormat = z.infer<typeof AlertFormat>;

export const AlertLanguage = z.enum(['ja', 'en']);
export type AlertLanguage = z.infer<typeof AlertLanguage>;

/**
 * Where the message goes. The URL is checked again by the route (https only, no private or
 * local targets outside local dev: worker/core/alerts/webhook-url.ts), since what is allowed
 * depends on the deployment.
 */
export const AlertDestination = z.object({
  url: z.string().trim().min(1).max(2048),
  format: AlertFormat.default('standard'),
  language: AlertLanguage.default('ja'),
});
export type AlertDestination = z.infer<typeof AlertDestination>;

export const MAX_COOLDOWN_DAYS = 365;

export const AlertInput = z.object({
  name: z.string().trim().min(1).max(100),
  enabled: z.boolean().default(true),
  trigger: AlertTrigger,
  destination: AlertDestination,
  /** A member fires the alert at most once per entry, and never twice within this many days. */
  cooldownDays: z.number().int().min(0).max(MAX_COOLDOWN_DAYS).default(7),
});
export type AlertInput = z.input<typeof AlertInput>;

/** An alert as the API shows it (never with its secret). */
export interface Alert {
  id: string;
  name: string;
  enabled: boolean;
  trigger: AlertTrigger;
  destination: AlertDestination;
  cooldownDays: number;
  /** Set when the system switched the alert off: `gone` = the receiver answered 410. */
  disabledReason: string | null;
  createdAt: number;
  updatedAt: number;
}

/** The create (and rotate) response: the signing secret, shown this once. */
export interface AlertWithSecret extends Alert {
  secret: string;
}

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export const DeliveryStatus = z.enum(deliveryStatuses);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/** One message in the delivery log. `id` is the `webhook-id` every attempt carries. */
export interface Delivery {
  id: string;
  alertId: string;
  alertName: string | null;
  memberId: string | null;
  kind: 'alert' | 'test';
  status: DeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  /** `timeout`, `redirect`, `network`, `refused_target`, `dead_letter`… when no status explains it. */
  lastError: string | null;
  createdAt: number;
  deliveredAt: number | null;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: number | null;
  /** What the member looked like when the alert fired. */
  snapshot: { score?: number; tier?: string; segment?: string | null };
}

/** A delivery with what the receiver last answered and the exact body sent. */
export interface DeliveryDetail extends Delivery {
  responseExcerpt: string | null;
  payload: unknown;
}

export const DeliveryQuery = z.object({
  alert: z.string().max(64).optional(),
  member: z.string().max(128).optional(),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** `createdAt` of the last row of the previous page (newest first). */
  before: z.coerce.number().int().min(0).optional(),
});

/** What "Send test" shows: the receiver's own answer. */
export interface TestSendResult {
  deliveryId: string;
  ok: boolean;
  status: number | null;
  error: string | null;
  responseExcerpt: string | null;
  durationMs: number;
}

/** A scoring rule that earned the member points recently (the "why" of the score). */
export interface AlertReason {
  ruleId: string;
  label: string;
  points: number;
  count: number;
  lastAt: string;
}

export interface AlertRecentEvent {
  type: string;
  at: string;
  url: string | null;
  props: Record<string, unknown>;
}

/** The `standard` body (and what the Slack message is made from). */
export interface AlertPayload {
  type: 'alert.fired' | 'alert.test';
  id: string;
  occurredAt: string;
  alert: { id: string; name: string };
  trigger: AlertTrigger;
  member: { id: string; traits: Record<string, unknown> };
  segment: { key: string; name: string } | null;
  score: { value: number; tier: 'hot' | 'warm' | 'cold' };
  reasons: AlertReason[];
  recent: AlertRecentEvent[];
  summary: string;
  adminUrl: string;
}
