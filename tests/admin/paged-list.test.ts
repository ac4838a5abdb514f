/**
 * The console's one paged list (admin/src/lib/pages.ts), used by the change log and the delivery
 * log: first page, more pages appended in order, a new filter starting again, only the latest call
 * settling the list, and a failure kept as the error state.
 */
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../admin/src/api/client';
import { createPagedList, type Page } from '../../admin/src/lib/pages';

/** A read whose answers the test releases by hand, remembering what each call asked for. */
function manual() {
  const calls: { filter: string; after: number | null; resolve: (p: Page<string, number>) => void; reject: (e: unknown) => void }[] = [];
  const read = (filter: string, after: number | null) =>
    new Promise<Page<string, number>>((resolve, reject) => calls.push({ filter, after, resolve, reject }));
  return { read, calls };
}

describe('createPagedList', () => {
  it('reads the first page, appends the next ones, and stops at the last', async () => {
    const m = manual();
    const list = createPagedList('a' as string, m.read);
    expect(list.status.value).toBe('idle');
    const first = list.reload();
    expect(list.status.value).toBe('loading');
    m.calls[0]!.resolve({ items: ['a1', 'a2'], next: 2 });
    await first;
    expect([list.items.value, list.next.value, list.status.value]).toEqual([['a1', 'a2'], 2, 'ready']);
    const second = list.more();
    expect(m.calls[1]).toMatchObject({ filter: 'a', after: 2 });
    m.calls[1]!.resolve({ items: ['a3'], next: null });
    await second;
    expect([list.items.value, list.next.value]).toEqual([['a1', 'a2', 'a3'], null]);
    await list.more();
    expect(m.calls).toHaveLength(2);
  });

  it('starts again from the first page of a new filter; an old page answering late is dropped', async () => {
    const m = manual();
    const list = createPagedList('a' as string, m.read);
    const old = list.reload();
    const fresh = list.setFilter('b');
    expect(list.filter.value).toBe('b');
    expect(m.calls[1]).toMatchObject({ filter: 'b', after: null });
    m.calls[1]!.resolve({ items: ['b1'], next: null });
    await fresh;
    m.calls[0]!.resolve({ items: ['a1'], next: 1 });
    await old;
    expect([list.items.value, list.next.value]).toEqual([['b1'], null]);
  });

  it('keeps a refusal as it came and words anything else as a network failure, with the items read', async () => {
    const m = manual();
    const list = createPagedList('a' as string, m.read);
    const first = list.reload();
    m.calls[0]!.resolve({ items: ['a1'], next: 1 });
    await first;
    const refused = new ApiFailure(400, 'invalid_request', 'bad cursor');
    const more = list.more();
    m.calls[1]!.reject(refused);
    await more;
    expect([list.status.value, list.error.value, list.items.value]).toEqual(['error', refused, ['a1']]);
    const again = list.reload();
    m.calls[2]!.reject(new TypeError('Failed to fetch'));
    await again;
    expect(list.error.value).toMatchObject({ code: 'network' });
  });
});
