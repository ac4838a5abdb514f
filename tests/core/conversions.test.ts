/** Conversion crediting (worker/core/conversions.ts), driven by tests/core/cases/conversions.json. */
import { describe, expect, it } from 'vitest';
import { creditConversions } from '../../worker/core/conversions';
import { emptyProfile } from '../../worker/core/profile';
import type { NormalizedEvent } from '../../worker/core/types';
import type { EventType, Experiment } from '../../worker/schema/config';
import cases from './cases/conversions.json';
import { ms } from './helpers';

type Case = {
  name: string;
  status: Experiment['status'];
  converted?: boolean;
  exposure: { arm: string; at: string; vid: string };
  events: { id: string; type: string; at: string; props: Record<string, unknown> }[];
  want: { arm: string; vid: string; eventId: string; day: number }[];
};

const experiment = (status: Experiment['status']) =>
  ({
    id: 'exp_1',
    name: 'hero test',
    slot: 'hero',
    segment: 'consideration',
    goal: { eventType: 'form_inquiry', goal: null },
    status,
    arms: [],
  }) as unknown as Experiment;

describe('creditConversions', () => {
  it.each(cases as Case[])('$name', (c) => {
    const profile = {
      ...emptyProfile(),
      exposures: { exp_1: { arm: c.exposure.arm, at: ms(c.exposure.at), vid: c.exposure.vid } },
      converted: c.converted ? ['exp_1'] : [],
    };
    const events: NormalizedEvent[] = c.events.map((e) => ({ id: e.id, type: e.type as EventType, at: ms(e.at), props: e.props }));
    const out = creditConversions(profile, events, new Map([['exp_1', experiment(c.status)]]));
    expect(out.conversions.map(({ arm, vid, eventId, day }) => ({ arm, vid, eventId, day }))).toEqual(c.want);
    expect(out.profile.converted.includes('exp_1')).toBe(Boolean(c.converted) || c.want.length > 0);
    expect(profile.converted).toEqual(c.converted ? ['exp_1'] : []);
  });
});
