import type { ListAlerts } from './schema/openapi/generated';

/**
 * Filters and paging of `GET /alerts` as a caller gives them: `unmapped` is a
 * boolean here, the `'true'` of the query string only when set.
 * @public
 */
export type AlertListQuery = Omit<
  NonNullable<ListAlerts['query']>,
  'unmapped'
> & {
  /** Only alerts mapped to no component. */
  unmapped?: boolean;
};
