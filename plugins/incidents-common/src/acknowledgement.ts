import type { AcknowledgementSource } from './schema/openapi/generated';

/**
 * How each acknowledgement source reads in the portal, chat and postmortems.
 * @public
 */
export const ACKNOWLEDGEMENT_SOURCE_LABELS: Record<
  AcknowledgementSource,
  string
> = {
  portal: 'the portal',
  'home-widget': 'the home widget',
  'entity-card': 'the entity page',
  api: 'the API',
  slack: 'Slack',
  link: 'the page link',
  action: 'an agent action',
};

/**
 * Every acknowledgement source, in the order of the API's enum.
 * @public
 */
export const ACKNOWLEDGEMENT_SOURCES = Object.keys(
  ACKNOWLEDGEMENT_SOURCE_LABELS,
) as AcknowledgementSource[];
