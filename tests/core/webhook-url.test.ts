/**
 * The SSRF guard on webhook URLs (worker/core/alerts/webhook-url.ts), from cases/webhook-url.json.
 */
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress } from '../../worker/core/alerts/webhook-url';
import cases from './cases/webhook-url.json';

describe('checkWebhookUrl', () => {
  it.each(cases.urls)('$url (local dev: $local)', (c) => {
    const out = checkWebhookUrl(c.url, { allowLoopback: c.local });
    if ('ok' in c) expect(out.ok).toBe(true);
    else expect(out).toEqual({ ok: false, reason: c.reason });
  });
});

describe('isPublicAddress', () => {
  it.each(cases.addresses)('$ip → $public', ({ ip, public: expected }) => {
    expect(isPublicAddress(ip)).toBe(expected);
  });
});
