/**
 * @module
 * The default scoring (docs/api.md#scoring) as data. Sites start from these and edit them in the admin.
 *
 * Daily caps are chosen so that two promises hold at once:
 * - normal browsing is scored exactly: 20 page views in a day, up to 8 of them on product pages
 *   and 8 on pricing pages, stay under every cap;
 * - a script that reloads a page or replays one kind of event for a whole day stays below
 *   hot (80): page views at most 25 + 24 (product) + 24 (pricing) = 73, a whitepaper download
 *   at most 30 + 40 = 70, a seminar attendance 60, an inquiry 50.
 * A single genuine high-value action (one form_inquiry = 50) is never capped below its points.
 */
import type { ScoringRule, ScoringSettings } from '../schema/config';

export const DEFAULT_SCORING_RULES: ScoringRule[] = [
  { id: 'page_view', eventType: 'page_view', match: {}, points: 1, dailyCap: 25, enabled: true },
  {
    id: 'page_view_product',
    eventType: 'page_view',
    match: { category: 'product' },
    points: 3,
    dailyCap: 24,
    enabled: true,
  },
  {
    id: 'page_view_pricing',
    eventType: 'page_view',
    match: { category: 'pricing' },
    points: 3,
    dailyCap: 24,
    enabled: true,
  },
  { id: 'download', eventType: 'download', match: {}, points: 10, dailyCap: 30, enabled: true },
  {
    id: 'download_whitepaper',
    eventType: 'download',
    match: { kind: 'whitepaper' },
    points: 20,
    dailyCap: 40,
    enabled: true,
  },
  // Opens are noisy (image proxies prefetch mail), so they get the tightest cap.
  { id: 'email_open', eventType: 'email_open', match: {}, points: 3, dailyCap: 15, enabled: true },
  { id: 'email_click', eventType: 'email_click', match: {}, points: 5, dailyCap: 25, enabled: true },
  { id: 'seminar_signup', eventType: 'seminar_signup', match: {}, points: 20, dailyCap: 40, enabled: true },
  { id: 'seminar_attend', eventType: 'seminar_attend', match: {}, points: 30, dailyCap: 60, enabled: true },
  { id: 'form_inquiry', eventType: 'form_inquiry', match: {}, points: 50, dailyCap: 50, enabled: true },
];

export const DEFAULT_SCORING_SETTINGS: ScoringSettings = { decayPerDay: 1, hotAt: 80, warmAt: 30 };
