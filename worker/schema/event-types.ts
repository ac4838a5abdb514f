/**
 * @module
 * The fixed event types and the props counted per value, as plain lists: the zod schemas in
 * ./config.ts are built from them, and the console imports them from here so its rule builders
 * offer exactly these without pulling zod into its download.
 */

/** Every event type the API accepts (`custom` carries its own name in props). */
export const eventTypes = [
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
] as const;

/** Props that are counted per value in the behaviour profile (the "where" of a behaviour condition). */
export const dimensionProps = ['category', 'kind', 'goal', 'name', 'campaign', 'seminar', 'form', 'survey', 'video', 'asset'] as const;
