/**
 * The console's one loader (admin/src/lib/loader.ts): idle → loading → ready or error, the last
 * data kept on screen while it reloads, only the latest call settling the state, and any thrown
 * value worded as an ApiFailure.
 */
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../admin/src/api/client';
import { createLoader } from '../../admin/src/lib/loader';

/** A read whose answers the test releases by hand, in any order. */
function manual<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  const read = () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject }));
  return { read, pending };
}

describe('createLoader', () => {
  it('goes idle → loading → ready, and keeps the data while it reloads', async () => {
    const m = manual<number>();
    const l = createLoader(m.read);
    expect(l.state.value).toEqual({ status: 'idle', data: null, error: null, refreshing: false });
    const first = l.load();
    expect(l.state.value).toMatchObject({ status: 'loading', data: null, refreshing: false });
    m.pending[0]!.resolve(1);
    await first;
    expect(l.state.value).toEqual({ status: 'ready', data: 1, error: null, refreshing: false });
    const second = l.load();
    expect(l.state.value).toMatchObject({ status: 'loading', data: 1, refreshing: true });
    m.pending[1]!.resolve(2);
    await second;
    expect(l.state.value.data).toBe(2);
  });

  it('lets only the latest call settle the state', async () => {
    const m = manual<string>();
    const l = createLoader(m.read);
    const slow = l.load();
    const fast = l.load();
    m.pending[1]!.resolve('new');
    await fast;
    m.pending[0]!.resolve('old');
    await slow;
    expect(l.state.value).toMatchObject({ status: 'ready', data: 'new' });
  });

  it('keeps an API refusal as it came and words anything else as a network failure', async () => {
    const refused = new ApiFailure(404, 'not_found', 'gone');
    const l = createLoader(async () => {
      throw refused;
    });
    await l.load();
    expect(l.state.value).toMatchObject({ status: 'error', error: refused, data: null });
    const offline = createLoader(async () => {
      throw new TypeError('Failed to fetch');
    });
    await offline.load();
    expect(offline.state.value.error).toBeInstanceOf(ApiFailure);
    expect(offline.state.value.error?.code).toBe('network');
  });

  it('passes its arguments to the read, and can be set or reset', async () => {
    const l = createLoader(async (id: string, n: number) => `${id}:${n}`);
    await l.load('a', 2);
    expect(l.state.value.data).toBe('a:2');
    l.set('b:3');
    expect(l.state.value).toMatchObject({ status: 'ready', data: 'b:3' });
    l.reset();
    expect(l.state.value.status).toBe('idle');
  });
});
