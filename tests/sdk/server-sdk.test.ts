/**
 * The server SDK stands alone: built with its .d.ts, installed into a separate sample project
 * with no other dependency (no zod, no workers types), it compiles under strict TypeScript, and a
 * misspelt event type or a missing required prop does not. Its event types are generated from
 * the edge's zod schemas and must be up to date.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const sdk = path.join(root, 'packages/server-sdk');
const tsc = path.join(root, 'node_modules/.bin/tsc');
let project: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(sdk, 'build.mjs')], { cwd: root, stdio: 'pipe' });
  project = mkdtempSync(path.join(tmpdir(), 'dw-sdk-sample-'));
  const installed = path.join(project, 'node_modules/@dashiwake/server-sdk');
  mkdirSync(installed, { recursive: true });
  cpSync(path.join(sdk, 'package.json'), path.join(installed, 'package.json'));
  cpSync(path.join(sdk, 'dist'), path.join(installed, 'dist'), { recursive: true });
  writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
      },
      include: ['*.ts'],
    }),
  );
}, 120_000);
afterAll(() => project && rmSync(project, { recursive: true, force: true }));

function compile(files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(project, name), text);
  const r = spawnSync(tsc, ['-p', project], { encoding: 'utf8' });
  for (const name of Object.keys(files)) rmSync(path.join(project, name));
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

const GOOD = `
import { createServerClient, DashiwakeError, signIdentifyToken, type ServerEvent } from '@dashiwake/server-sdk';
const dw = createServerClient({ endpoint: 'https://edge.example.co.jp', apiKey: 'k' });
const events: ServerEvent[] = [
  { id: 'evt-00000001', type: 'seminar_attend', props: { seminar: 'dx-2026' } },
  { id: 'evt-00000002', type: 'login' },
  { id: 'evt-00000003', type: 'download', at: new Date(), props: { asset: 'wp.pdf', kind: 'whitepaper', campaign: 'nov' } },
  { id: 'evt-00000004', type: 'conversion', props: { goal: 'trial', value: 3 } },
];
export async function run() {
  const r = await dw.collect('m-42', events);
  const n: number = r.accepted + r.duplicates;
  await dw.upsertTraits('m-42', { industry: 'SaaS', employees: 120 });
  await dw.erase('m-42');
  const token: string = await signIdentifyToken({ sub: 'm-42', traits: { industry: 'SaaS' }, vid: 'abcdefghijklmnop' }, 'secret');
  try { await dw.collect('m-1', []); } catch (e) { if (e instanceof DashiwakeError) return [e.code, e.status, e.retryAfter, n, token]; }
}
`;

describe('@dashiwake/server-sdk', () => {
  it('compiles in a separate strict project with nothing else installed', () => {
    const r = compile({ 'main.ts': GOOD });
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it.each([
    ['a misspelt event type', `{ id: 'evt-00000001', type: 'seminar_atend', props: { seminar: 'dx' } }`, 'seminar_atend'],
    ['a missing required prop', `{ id: 'evt-00000001', type: 'seminar_attend', props: {} }`, 'seminar'],
    ['props omitted where some are required', `{ id: 'evt-00000001', type: 'form_inquiry' }`, 'props'],
    ['a nested prop value', `{ id: 'evt-00000001', type: 'custom', props: { name: 'x', deep: { a: 1 } } }`, 'PropValue'],
  ])('refuses %s at compile time', (_label, event, mention) => {
    const r = compile({
      'bad.ts': `import type { ServerEvent } from '@dashiwake/server-sdk';\nexport const e: ServerEvent = ${event};\n`,
    });
    expect(r.ok).toBe(false);
    expect(r.output).toContain(mention);
  });

  it('the README example compiles as written', () => {
    const readme = readFileSync(path.join(sdk, 'README.md'), 'utf8');
    const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const r = compile({ 'readme.ts': `declare const process: { env: Record<string, string | undefined> };\n${example}\nexport {};\n` });
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it("the top-level README's TypeScript examples compile as written", () => {
    // The identify example uses jose, as a site's backend would: installed beside the SDK.
    cpSync(path.join(root, 'node_modules/jose'), path.join(project, 'node_modules/jose'), { recursive: true });
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    const prelude = 'declare const process: { env: Record<string, string | undefined> };\ndeclare const member: { id: string };\n';
    const files = Object.fromEntries(blocks.map((b, i) => [`readme-${i}.ts`, `${prelude}${b}\nexport {};\n`]));
    const r = compile(files);
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  it("its event types are generated from the edge's schemas and up to date", async () => {
    const { eventsModule } = await import('../../packages/server-sdk/build.mjs');
    expect(readFileSync(path.join(sdk, 'src/events.ts'), 'utf8')).toBe(await eventsModule());
  });
});
