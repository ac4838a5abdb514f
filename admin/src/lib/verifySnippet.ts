/**
 * @module
 * The few lines a receiver needs to check that a message really comes from this dashiwake
 * (Standard Webhooks: HMAC-SHA256 over "{webhook-id}.{webhook-timestamp}.{body}" with the
 * secret's decoded bytes), in Node and Python, with the alert's secret filled in. The console
 * shows them next to the secret; docs/alerts.md and the README print the same text. The tests
 * run both against messages the worker signed.
 */

/** Five minutes either way: the specification's replay window. */
const TOLERANCE_S = 300;

/**
 * @example nodeSnippet('whsec_…').includes("createHmac('sha256'") // true
 */
export function nodeSnippet(secret: string): string {
  return `import { createHmac, timingSafeEqual } from 'node:crypto';

const SECRET = '${secret}';

// true when the request comes from dashiwake. body: the raw request body, as a string.
export function verifyWebhook(headers, body) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  if (!id || !/^\\d+$/.test(ts ?? '') || Math.abs(Date.now() / 1000 - Number(ts)) > ${TOLERANCE_S}) return false;
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(\`\${id}.\${ts}.\${body}\`).digest();
  return String(headers['webhook-signature'] ?? '').split(' ').some((part) => {
    const given = Buffer.from(part.startsWith('v1,') ? part.slice(3) : '', 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
`;
}

/**
 * @example pythonSnippet('whsec_…').includes('hmac.compare_digest') // true
 */
export function pythonSnippet(secret: string): string {
  return `import base64, hashlib, hmac, time

SECRET = "${secret}"

def verify_webhook(headers, body: bytes) -> bool:
    """True when the request comes from dashiwake. body: the raw request body."""
    msg_id = headers.get("webhook-id", "")
    ts = headers.get("webhook-timestamp", "")
    if not msg_id or not ts.isdigit() or abs(time.time() - int(ts)) > ${TOLERANCE_S}:
        return False
    key = base64.b64decode(SECRET[len("whsec_"):])
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    return any(part.startswith("v1,") and hmac.compare_digest(part[3:], expected)
               for part in headers.get("webhook-signature", "").split())
`;
}
