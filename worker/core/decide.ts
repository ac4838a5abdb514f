/**
 * @module
 * The slot decision: given the visitor's segment, which content each slot gets, and which
 * experiment arms the visitor enters. Pure, so `/v1/decide` and a future HTMLRewriter proxy
 * path share it.
 */
import type { Decision } from '../schema/api';
import { chooseArm } from './bucketing';
import { planKey, type CompiledConfig } from './compile';
import type { Profile } from './types';

export interface NewExposure {
  experiment: string;
  arm: string;
  segment: string;
}

export interface SlotDecisions {
  slots: Record<string, Decision | null>;
  /** Arms entered for the first time (to store once). */
  exposures: NewExposure[];
}

/**
 * @example
 *   decideSlots(cfg, 'hot_lead', ['hero', 'cta'], 'visitor-abc…', profile)
 *   // → { slots: { hero: { variant: 'hot_hero', …, content: { html } }, cta: null }, exposures: [] }
 */
export function decideSlots(
  cfg: CompiledConfig,
  segment: string | null,
  slots: string[],
  visitorId: string,
  profile: Pick<Profile, 'exposures'>,
  forcedArms: Record<string, string> = {},
): SlotDecisions {
  const out: Record<string, Decision | null> = {};
  const exposures: NewExposure[] = [];
  for (const slot of slots) {
    const plan = segment === null ? undefined : cfg.plans.get(planKey(slot, segment));
    if (!plan || segment === null) {
      out[slot] = null;
      continue;
    }
    const exp = plan.experiment;
    if (exp) {
      // Sticky: an arm once entered stays, even if the weights are edited mid-experiment.
      const wanted = forcedArms[exp.id] ?? profile.exposures[exp.id]?.arm;
      const arm = (wanted ? exp.arms.find((a) => a.key === wanted) : null) ?? chooseArm(exp.arms, exp.id, visitorId);
      if (arm) {
        const variant = arm.variant ? cfg.variantsById.get(arm.variant) : undefined;
        out[slot] = {
          variant: variant?.id ?? null,
          experiment: exp.id,
          arm: arm.key,
          content: variant ? { html: variant.html } : null,
        };
        if (!profile.exposures[exp.id] && !exposures.some((e) => e.experiment === exp.id)) {
          exposures.push({ experiment: exp.id, arm: arm.key, segment });
        }
        continue;
      }
    }
    out[slot] = plan.variant ? { variant: plan.variant.id, experiment: null, arm: null, content: { html: plan.variant.html } } : null;
  }
  return { slots: out, exposures };
}
