import {
  ACTION_ITEM_HORIZONS,
  INCIDENT_SORT_FIELDS,
  INCIDENT_STATUSES,
  POSTMORTEM_STATUSES,
  SEVERITIES,
} from './index';
import type {
  ActionItemHorizon,
  IncidentSortField,
  IncidentStatus,
  PostmortemStatus,
  Severity,
} from './index';

// `true` only when A and B are the same union: each list below names every
// value of the spec's enum, not merely some of them (`satisfies` checks that
// much where the list is declared).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

describe('the hand-written value lists', () => {
  it('name every value of the OpenAPI enums, no more and no fewer', () => {
    const checks: [
      Same<(typeof SEVERITIES)[number], Severity>,
      Same<(typeof INCIDENT_STATUSES)[number], IncidentStatus>,
      Same<(typeof POSTMORTEM_STATUSES)[number], PostmortemStatus>,
      Same<(typeof ACTION_ITEM_HORIZONS)[number], ActionItemHorizon>,
      Same<(typeof INCIDENT_SORT_FIELDS)[number], IncidentSortField>,
    ] = [true, true, true, true, true];
    expect(checks.every(Boolean)).toBe(true);
  });

  it('have no repeats', () => {
    for (const list of [
      SEVERITIES,
      INCIDENT_STATUSES,
      POSTMORTEM_STATUSES,
      ACTION_ITEM_HORIZONS,
      INCIDENT_SORT_FIELDS,
    ]) {
      expect(new Set(list).size).toBe(list.length);
    }
  });
});
