/**
 * @module
 * Visitors per arm needed to detect a relative uplift (docs/api.md#experiment-results `requiredVisitorsPerArm`).
 */
import { normalQuantile } from './special';

/**
 * Standard two-sided two-proportion sample size (normal approximation), per arm:
 *
 *   p₁ = controlCvr,  p₂ = min(1, p₁·(1 + |relativeUplift|)),  p̄ = (p₁ + p₂) / 2
 *   n = ⌈ (z_{1−α/2}·√(2·p̄(1−p̄)) + z_{1−β}·√(p₁(1−p₁) + p₂(1−p₂)))² / (p₂ − p₁)² ⌉
 *
 * (Fleiss, "Statistical Methods for Rates and Proportions", eq. 4.14 without continuity
 * correction; the pooled variance under H0, the unpooled one under H1). The sign of the
 * uplift is ignored — a drop is as worth detecting as a rise — and an uplift of 0 (or one
 * that is not finite) is replaced by the 20 % the contract uses when nothing is observed.
 * p₂ is capped at 1 so a huge observed uplift still gives an answer (a small n).
 *
 * Returns null when the control CVR is 0 or ≥ 1: no relative uplift is defined from 0, and
 * nothing can rise above 100 %.
 *
 * @example
 * requiredVisitorsPerArm(0.05, 0.2); // 8158
 */
export function requiredVisitorsPerArm(controlCvr: number, relativeUplift: number, alpha = 0.05, power = 0.8): number | null {
  if (!(controlCvr > 0 && controlCvr < 1)) return null;
  const u = Number.isFinite(relativeUplift) && relativeUplift !== 0 ? Math.abs(relativeUplift) : DEFAULT_UPLIFT;
  const p1 = controlCvr;
  const p2 = Math.min(1, p1 * (1 + u));
  const pBar = (p1 + p2) / 2;
  const zA = normalQuantile(1 - alpha / 2);
  const zB = normalQuantile(power);
  const num = zA * Math.sqrt(2 * pBar * (1 - pBar)) + zB * Math.sqrt(p1 * (1 - p1) + p2 * (1 - p2));
  const n = (num * num) / ((p2 - p1) * (p2 - p1));
  // Guard the ceiling against float noise (8157.0000000001 must stay 8157).
  return Math.ceil(n - 1e-9);
}

/** The relative uplift planned for when none is observed (docs/api.md#experiment-results). */
export const DEFAULT_UPLIFT = 0.2;
