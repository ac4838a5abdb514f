/**
 * The receiver snippets the console shows with a secret (admin/src/lib/verifySnippet.ts) are run
 * as written — the Node one imported as a module, the Python one by the system's python3 —
 * against messages the worker's own signer made: real ones pass, tampered or stale ones fail.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeSnippet, pythonSnippet } from '../../admin/src/lib/verifySnippet';
import { newWebhookSecret, webhookHeaders } from '../../worker/lib/webhook-signature';

const dir = mkdtempSync(path.join(tmpdir(), 'dw-verify-'));

async function signed(secret: string, body: string, at = Date.now()) {
  return { headers: await webhookHeaders(secret, 'msg_0123456789abcdef', body, at), body };
}

describe('the Node snippet', () => {
  it('accepts what the worker signed, refuses tampering, other secrets and stale timestamps', async () => {
    const secret = newWebhookSecret();
    const file = path.join(dir, 'verify.mjs');
    writeFileSync(file, nodeSnippet(secret));
    const { verifyWebhook } = (await import(pathToFileURL(file).href)) as {
      verifyWebhook: (h: Record<string, string>, b: string) => boolean;
    };
    const ok = await signed(secret, JSON.stringify({ summary: 'スコア86でホットになりました' }));
    expect(verifyWebhook(ok.headers, ok.body)).toBe(true);
    expect(verifyWebhook(ok.headers, `${ok.body} `)).toBe(false);
    expect(verifyWebhook({ ...ok.headers, 'webhook-id': 'msg_other' }, ok.body)).toBe(false);
    const other = await signed(newWebhookSecret(), ok.body);
    expect(verifyWebhook(other.headers, ok.body)).toBe(false);
    const stale = await signed(secret, ok.body, Date.now() - 10 * 60_000);
    expect(verifyWebhook(stale.headers, stale.body)).toBe(false);
    // Several signatures (during a secret rotation on the sender's side): any one matching passes.
    expect(verifyWebhook({ ...ok.headers, 'webhook-signature': `v1,AAAA ${ok.headers['webhook-signature']}` }, ok.body)).toBe(true);
  });
});

const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

describe('the Python snippet', () => {
  it('accepts what the worker signed and refuses a tampered body', async () => {
    const secret = newWebhookSecret();
    const ok = await signed(secret, JSON.stringify({ summary: 'SaaS・120名の○○社' }));
    const script = `${pythonSnippet(secret)}
import json, sys
case = json.loads(sys.stdin.read())
print(json.dumps([verify_webhook(case["headers"], case["body"].encode()), verify_webhook(case["headers"], (case["body"] + " ").encode())]))
`;
    const file = path.join(dir, 'verify.py');
    writeFileSync(file, script);
    const out = execFileSync(python, [file], { input: JSON.stringify(ok), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([true, false]);
  });
});
