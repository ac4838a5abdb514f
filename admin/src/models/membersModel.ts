/**
 * @module
 * Members: search by member id / visitor id prefix, and one member's detail (traits, score now,
 * tier, segment and why, score history, recent events).
 */
import { signal } from '@preact/signals';
import type { SegmentExplanation } from '@worker/core/segments';
import type { MemberDetail } from '@worker/services/admin/members';
import { api, ApiFailure, unwrap } from '../api/client';

export type LoadState<T> = { status: 'idle' | 'loading' | 'ready' | 'error'; data: T | null; error: ApiFailure | null };

export const query = signal('');
export const results = signal<LoadState<Awaited<ReturnType<typeof fetchResults>>>>({ status: 'idle', data: null, error: null });
export const detail = signal<LoadState<MemberDetail>>({ status: 'idle', data: null, error: null });

async function fetchResults(q: string) {
  return (await unwrap(api.members.$get({ query: { q } }))).results;
}

let searchSeq = 0;
export async function search(q = query.value): Promise<void> {
  const mine = ++searchSeq;
  results.value = { ...results.value, status: 'loading' };
  try {
    const data = await fetchResults(q.trim());
    if (mine === searchSeq) results.value = { status: 'ready', data, error: null };
  } catch (err) {
    if (mine === searchSeq) results.value = { status: 'error', data: null, error: err instanceof ApiFailure ? err : null };
  }
}

export async function openMember(id: string): Promise<void> {
  detail.value = { status: 'loading', data: detail.value.data?.memberId === id || detail.value.data?.visitorId === id ? detail.value.data : null, error: null };
  try {
    const body = await unwrap(api.members[':id'].$get({ param: { id } }));
    // The explanation's condition tree is recursive; JSON typing cannot follow it.
    detail.value = { status: 'ready', data: { ...body, explanation: body.explanation as unknown as SegmentExplanation[] }, error: null };
  } catch (err) {
    detail.value = { status: 'error', data: null, error: err instanceof ApiFailure ? err : null };
  }
}
