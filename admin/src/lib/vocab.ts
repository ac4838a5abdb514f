/**
 * @module
 * The event types and props the rule builders offer. Listed here (not imported as values from
 * worker/schema/config.ts) to keep zod out of the console's download; the type checks below
 * break the build if the shared schema gains or loses one.
 */
import type { DimensionProp, EventType } from '@worker/schema/config';

export const EVENT_TYPES = [
  'page_view',
  'download',
  'video_view',
  'email_open',
  'email_click',
  'seminar_signup',
  'seminar_attend',
  'form_inquiry',
  'login',
  'survey_answer',
  'conversion',
  'custom',
] as const satisfies readonly EventType[];

export const DIMENSION_PROPS = [
  'category',
  'kind',
  'goal',
  'name',
  'campaign',
  'seminar',
  'form',
  'survey',
  'video',
  'asset',
] as const satisfies readonly DimensionProp[];

type Exhaustive<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : { missing: Exclude<All, Listed> };
export const eventTypesComplete: Exhaustive<EventType, (typeof EVENT_TYPES)[number]> = true;
export const dimensionPropsComplete: Exhaustive<DimensionProp, (typeof DIMENSION_PROPS)[number]> = true;

/** The prop a rule usually narrows an event by (first choice in the builder). */
export const DEFAULT_PROP: Partial<Record<EventType, (typeof DIMENSION_PROPS)[number]>> = {
  page_view: 'category',
  download: 'kind',
  conversion: 'goal',
  custom: 'name',
  email_open: 'campaign',
  email_click: 'campaign',
  seminar_signup: 'seminar',
  seminar_attend: 'seminar',
  form_inquiry: 'form',
  survey_answer: 'survey',
  video_view: 'video',
};

/** Traits docs/api.md#http-api lists as common, offered as suggestions. */
export const COMMON_TRAITS = ['industry', 'employees', 'department', 'role', 'level', 'region', 'phase', 'plan'];

export const SLUG = /^[a-z0-9][a-z0-9_-]*$/;
