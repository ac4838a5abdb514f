/**
 * @module
 * One member's (or anonymous visitor's) detail: traits, score now, tier, segment and why, score
 * history, recent events. Lists are in memberListModel.ts.
 */
import type { SegmentExplanation } from '@worker/core/segments';
import type { MemberDetail } from '@worker/services/admin/members';
import { api, unwrap } from '../api/client';
import { createLoader } from '../lib/loader';

const loader = createLoader(async (id: string): Promise<MemberDetail> => {
  const body = await unwrap(api.members[':id'].$get({ param: { id } }));
  // The explanation's condition tree is recursive; JSON typing cannot follow it.
  return { ...body, explanation: body.explanation as unknown as SegmentExplanation[] };
});

export const memberDetail = loader.state;

/** Loads a member; another member's page is not shown meanwhile (the same one's stays). */
export function openMember(id: string): Promise<void> {
  const shown = memberDetail.value.data;
  if (shown && shown.memberId !== id && shown.visitorId !== id) loader.reset();
  return loader.load(id);
}
