/**
 * @module
 * One member's (or anonymous visitor's) detail: traits, score now, tier, segment and why, score
 * history, recent events. Lists are in memberListModel.ts.
 */
import { signal } from '@preact/signals';
import type { SegmentExplanation } from '@worker/core/segments';
import type { MemberDetail } from '@worker/services/admin/members';
import { api, ApiFailure, unwrap } from '../api/client';

export type LoadState<T> = { status: 'idle' | 'loading' | 'ready' | 'error'; data: T | null; error: ApiFailure | null };

export const detail = signal<LoadState<MemberDetail>>({ status: 'idle', data: null, error: null });

export async function openMember(id: string): Promise<void> {
  detail.value = {
    status: 'loading',
    data: detail.value.data?.memberId === id || detail.value.data?.visitorId === id ? detail.value.data : null,
    error: null,
  };
  try {
    const body = await unwrap(api.members[':id'].$get({ param: { id } }));
    // The explanation's condition tree is recursive; JSON typing cannot follow it.
    detail.value = { status: 'ready', data: { ...body, explanation: body.explanation as unknown as SegmentExplanation[] }, error: null };
  } catch (err) {
    detail.value = { status: 'error', data: null, error: err instanceof ApiFailure ? err : null };
  }
}
