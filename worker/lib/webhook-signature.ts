/**
 * @module
 * Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver checks
 * `webhook-signature: v1,<base64 HMAC-SHA256>` over `"{webhook-id}.{webhook-timestamp}.{body}"`,
 * keyed with the secret's base64-decoded bytes (the part after `whsec_`). Any of the spec's
 * receiver libraries, or the few lines in docs/alerts.md, verify it.
 */

import { base64ToBytes, bytesToBase64 } from '../core/base64';

const PREFIX = 'whsec_';
/** The spec asks for 24–64 random bytes; 32 gives 256 bits. */
const SECRET_BYTES = 32;

/**
 * A new signing secret.
 * @example newWebhookSecret() // 'whsec_3q2+7w…' (32 random bytes)
 */
export function newWebhookSecret(): string {
  return PREFIX + bytesToBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

/** The key bytes of a `whsec_…` secret. */
export function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  return base64ToBytes(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret);
}

/**
 * The `webhook-signature` value for one message.
 * @example await signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')
 *   // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' (the spec's own example)
 */
export async function signWebhook(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', secretBytes(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

/**
 * The three Standard Webhooks headers (plus the JSON content type) for an attempt made at `now`.
 * @example await webhookHeaders(secret, 'dlv_…', body, Date.now())
 */
export async function webhookHeaders(secret: string, id: string, body: string, now: number): Promise<Record<string, string>> {
  const timestamp = Math.floor(now / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook(secret, id, timestamp, body),
  };
}
