/**
 * The receiver snippets the console shows with a secret (admin/src/lib/verifySnippet.ts) are run
 * as written — the Node one imported as a module, the Python one by the system's python3 —
 * against messages the worker's own signer made: real ones pass, tampered or stale ones fail.
 * The copies printed in README.md and docs/alerts.md are run the same way, so they cannot drift.
 */
// The console's words in both languages (the browser loads one language chunk at a time).
import '../../admin/src/i18n/all';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

/** The ```js and ```python blocks of a markdown section, as written. */
function blocksOf(file: string, heading: string): { js: string; python: string } {
  const text = readFileSync(path.join(import.meta.dirname, '../..', file), 'utf8');
  const start = text.indexOf(heading);
  const end = text.indexOf('\n## ', start + heading.length);
  const section = text.slice(start, end < 0 ? undefined : end);
  const block = (lang: string) => new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(section)?.[1] ?? '';
  return { js: block('js'), python: block('python') };
}

describe.each([
  ['README.md', '## Send hot leads to sales'],
  ['docs/alerts.md', '## Verifying a message'],
])('the snippets printed in %s', (file, heading) => {
  it('verify what the worker signed, as written', async () => {
    const { js, python: py } = blocksOf(file, heading);
    expect(js).toContain('verifyWebhook');
    expect(py).toContain('def verify_webhook');
    const secret = newWebhookSecret();
    process.env.DW_WEBHOOK_SECRET = secret;
    process.env.DASHIWAKE_WEBHOOK_SECRET = secret;
    const ok = await signed(secret, JSON.stringify({ summary: 'スコア86でホットになりました' }));
    const jsFile = path.join(dir, `${file.replace(/\W/g, '_')}.mjs`);
    writeFileSync(jsFile, js);
    const { verifyWebhook } = (await import(pathToFileURL(jsFile).href)) as {
      verifyWebhook: (h: Record<string, string>, b: string) => boolean;
    };
    expect([verifyWebhook(ok.headers, ok.body), verifyWebhook(ok.headers, `${ok.body}x`)]).toEqual([true, false]);
    const pyFile = path.join(dir, `${file.replace(/\W/g, '_')}.py`);
    writeFileSync(
      pyFile,
      `${py}\nimport json, sys\ncase = json.loads(sys.stdin.read())\nprint(json.dumps([verify_webhook(case["headers"], case["body"].encode()), verify_webhook(case["headers"], (case["body"] + "x").encode())]))\n`,
    );
    const out = execFileSync(python, [pyFile], { input: JSON.stringify(ok), encoding: 'utf8', env: { ...process.env } });
    expect(JSON.parse(out)).toEqual([true, false]);
  });
});
