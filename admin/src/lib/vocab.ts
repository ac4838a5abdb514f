/**
 * @module
 * The event types and props the rule builders offer: the shared lists the API's schemas are built
 * from (worker/schema/event-types.ts, which has no zod, so the console's download stays free of it).
 */
import type { EventType } from '@worker/schema/config';
import { dimensionProps, eventTypes } from '@worker/schema/event-types';

/** The event types, in the order the pickers list them. */
export const EVENT_TYPES = eventTypes;
/** The props a behaviour condition can test per value. */
export const DIMENSION_PROPS = dimensionProps;

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
