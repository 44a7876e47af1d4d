import {
  IncidentPermissionCriteria,
  IncidentPermissionQuery,
} from '@vigil/plugin-incidents-node';
import { Knex } from 'knex';

/**
 * Restricts a query that reads incidents as `incident as i` (the incident
 * list, and postmortems and action items joined to their incidents) to those
 * a conditional read decision allows: the criteria Backstage's condition
 * transformer makes of the incident permission rules, as a WHERE clause, so
 * pages are cut after filtering and stay full.
 * @internal
 */
export function whereIncidentAllowed(
  knex: Knex,
  qb: Knex.QueryBuilder,
  criteria: IncidentPermissionCriteria,
): void {
  if ('allOf' in criteria) {
    for (const c of criteria.allOf) {
      qb.where(inner => whereIncidentAllowed(knex, inner, c));
    }
  } else if ('anyOf' in criteria) {
    for (const c of criteria.anyOf) {
      qb.orWhere(inner => whereIncidentAllowed(knex, inner, c));
    }
  } else if ('not' in criteria) {
    qb.whereNot(inner => whereIncidentAllowed(knex, inner, criteria.not));
  } else {
    whereRule(knex, qb, criteria);
  }
}

function whereRule(
  knex: Knex,
  qb: Knex.QueryBuilder,
  { field, claims }: IncidentPermissionQuery,
) {
  const lowered = claims.map(c => c.toLocaleLowerCase('en-US'));
  if (field === 'commander') {
    qb.whereIn('i.commander', claims);
  } else if (field === 'commsOwner') {
    qb.whereIn('i.comms_owner', claims);
  } else if (field === 'responder') {
    qb.whereIn('i.responder', claims).orWhereExists(
      knex('incident_responder as rule_r')
        .select(knex.raw('1'))
        .whereRaw('rule_r.incident_id = i.id')
        .whereIn('rule_r.user_ref', claims),
    );
  } else if (field === 'paged') {
    qb.whereExists(
      knex('incident_page as rule_p')
        .select(knex.raw('1'))
        .whereRaw('rule_p.incident_id = i.id')
        .whereIn('rule_p.recipient', [...new Set([...claims, ...lowered])]),
    );
  } else {
    qb.whereExists(
      knex('incident_owner as rule_o')
        .select(knex.raw('1'))
        .whereRaw('rule_o.incident_id = i.id')
        .whereIn('rule_o.group_ref', lowered),
    );
  }
}
