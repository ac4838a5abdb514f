/**
 * Standard Webhooks signing (worker/lib/webhook-signature.ts), checked against the spec's own
 * example and against node:crypto's HMAC (an implementation that shares no code with it).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newWebhookSecret, signWebhook, webhookHeaders } from '../../worker/lib/webhook-signature';

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks specification example', async () => {
    const sig = await signWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('agrees with node:crypto for fresh secrets and Japanese bodies', async () => {
    for (let i = 0; i < 20; i++) {
      const secret = newWebhookSecret();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const body = JSON.stringify({ summary: `ホットになりました ${i}`, n: i });
      const headers = await webhookHeaders(secret, `msg_${i}`, body, 1_790_000_000_000 + i * 1000);
      const expected = createHmac('sha256', Buffer.from(secret.slice(6), 'base64'))
        .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
        .digest('base64');
      expect(headers['webhook-signature']).toBe(`v1,${expected}`);
      expect(headers['webhook-timestamp']).toBe(String(1_790_000_000 + i));
    }
  });
});
