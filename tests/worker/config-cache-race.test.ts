/**
 * The isolate's configuration cache across an edit: a load (or a stamp check) that started before
 * an edit and finished after it must not leave the old configuration trusted, or decides that read
 * nothing (a profile token, a new visitor) would serve it for up to a minute.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { commitConfig } from '../../worker/services/admin/commit';
import { serviceContext } from '../../worker/services/context';
import { currentConfig, getConfig, invalidateConfig, trustedConfig } from '../../worker/services/config-store';
import { loadDemo } from './helpers';

const ctx = () => serviceContext(env.DB, env);
const storedStamp = async () =>
  JSON.parse((await env.DB.prepare(`SELECT value FROM settings WHERE key = 'config_version'`).first<{ value: string }>())!.value) as string;
/** Any edit through the one commit path: rename a segment (its name is not read by this test). */
const edit = (c: ReturnType<typeof ctx>) =>
  commitConfig(c, [c.db.run(sql`UPDATE segments SET name = name || '.' WHERE key = 'hot_lead'`)] as never);

describe('configuration cache and an edit', () => {
  beforeEach(async () => {
    await loadDemo();
    invalidateConfig();
  });

  it('a load that started before the edit does not leave the old configuration trusted', async () => {
    const c = ctx();
    const before = await storedStamp();
    const load = getConfig(c); // in flight while the edit commits
    await edit(c);
    expect((await load).version).toBe(before);
    const after = await storedStamp();
    expect(after).not.toBe(before);
    const trusted = trustedConfig(Date.now());
    // Either nothing is trusted (the next decide reads) or what is trusted is the edit.
    expect(trusted === null || trusted.config.version === after).toBe(true);
    expect((await getConfig(c)).version).toBe(after);
  });

  it('a stamp check that read the old stamp does not confirm the old cache after the edit', async () => {
    const c = ctx();
    await getConfig(c);
    const check = currentConfig(c); // reads the stamp while the edit commits
    await edit(c);
    await check;
    const trusted = trustedConfig(Date.now());
    expect(trusted === null || trusted.config.version === (await storedStamp())).toBe(true);
  });

  it('with no edit in between, a load is cached and trusted (decides that read nothing can use it)', async () => {
    const c = ctx();
    const config = await getConfig(c);
    expect(trustedConfig(Date.now())?.config.version).toBe(config.version);
    expect(config.version).toBe(await storedStamp());
  });
});
