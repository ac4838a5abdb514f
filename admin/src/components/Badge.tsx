/**
 * @module
 * Small labels: tiers, experiment statuses, enabled/disabled.
 */
import type { ComponentChildren } from 'preact';

export interface BadgeProps {
  tone?: 'hot' | 'warm' | 'cold' | 'ok' | 'muted' | 'info' | 'warn';
  children: ComponentChildren;
}

export function Badge({ tone = 'muted', children }: BadgeProps) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}
