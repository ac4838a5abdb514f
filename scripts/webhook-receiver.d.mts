/** Types for webhook-receiver.mjs (plain JavaScript so it runs as a script with no build step). */
export const TOLERANCE_S: number;
export function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string,
  nowS?: number,
): string | null;

export interface ScriptedResponse {
  status: number;
  body?: string;
  delayMs?: number;
  headers?: Record<string, string>;
}

/** One request a hook received. */
export interface ReceivedEntry {
  arrivedAt: number;
  id: string | null;
  timestamp: string | null;
  signature: string | null;
  contentType: string | null;
  userAgent: string | null;
  /** null when no secret is registered for the hook. */
  verified: boolean | null;
  verifyError: string | null;
  raw: string;
  body: any;
  answered: number;
}

export function startReceiver(opts?: {
  port?: number;
  host?: string;
  onMessage?: (name: string, entry: ReceivedEntry) => void;
}): Promise<{ url: string; close(): Promise<void> }>;
