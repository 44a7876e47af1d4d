/*
 * The PostgreSQL fast paths: the two hot writes done as one statement each,
 * because `yarn bench` and `yarn bench:alerts` showed the statement-by-statement
 * version short of its targets (opens ≥ 300/s; single alerts ≥ 1,000/s with a
 * p99 under 50 ms). Each is atomic by itself. The stores call them only on
 * PostgreSQL and build the rows; the same rows go through Knex elsewhere.
 */
import { Knex } from 'knex';
import { queryPostgres } from './prepared';

type Row = Record<string, unknown>;

/**
 * Opens an incident in one statement: the incident with its reference from
 * the sequence, its services and owners, the timeline entry, the audit row
 * and the change count (foreign keys are checked at its end). `countChange`
 * is counted after the incident's insert, which may wait for another open of
 * the same dedup key: nothing waits while holding a counter shard.
 */
export async function openIncidentStatement(
  knex: Knex,
  rows: {
    incident: Row;
    services: Row[];
    owners: Row[];
    timeline: Row;
    audit: Row;
    countChange: Knex.QueryBuilder;
  },
): Promise<{ refNumber: number | string; entryId: unknown }> {
  let statement = knex.with(
    'inc',
    knex('incident')
      .insert({
        ...rows.incident,
        ref_number: knex.raw("nextval('incident_ref_seq')"),
      })
      .returning('ref_number'),
  );
  if (rows.services.length) {
    statement = statement.with(
      'svc',
      knex('incident_service').insert(rows.services),
    );
  }
  if (rows.owners.length) {
    statement = statement.with(
      'own',
      knex('incident_owner').insert(rows.owners),
    );
  }
  const [written] = await statement
    .with('tl', knex('incident_timeline').insert(rows.timeline).returning('id'))
    .with('au', knex('incident_audit').insert(rows.audit))
    .with('chg', rows.countChange.whereExists(knex.select(1).from('inc')))
    .select('inc.ref_number', 'tl.id as entry_id')
    .from(knex.raw('inc, tl'));
  return { refNumber: written.ref_number, entryId: written.entry_id };
}

/**
 * New alerts of one message ($1: the rows as JSON, $2: the storm keys of the
 * message, $3: now): each inserted unless already stored, its storm keys with
 * it, and each firing one linked to the running storm of its first key that
 * has one (the oldest of that key). Returns the inserted alerts with their
 * storm parent's reference number.
 */
const ALERT_INTAKE_STATEMENT = `with incoming as (
         select * from jsonb_to_recordset($1::jsonb) as x(
           id uuid, source text, fingerprint text, status text,
           severity text, title text, description text, entity_ref text,
           labels text, tags text, group_key text, starts_at timestamptz,
           ends_at timestamptz, resolved_at timestamptz, keys text[],
           may_join boolean)
       ),
       live as (
         select s.id, s.key, s.parent_incident_id, i.ref_number, s.started_at
         from incident_storm s
         join incident i on i.id = s.parent_incident_id
         where s.active_key = any($2::text[])
           and i.status in ('open', 'investigating', 'mitigated')
       ),
       joined as (
         select x.id as alert_id, st.id as storm_id,
                st.parent_incident_id, st.ref_number
         from incoming x
         join lateral (
           select l.* from unnest(x.keys) with ordinality as k(key, ord)
           join live l on l.key = k.key
           where x.may_join
           order by k.ord, l.started_at
           limit 1
         ) st on true
       ),
       inserted as (
         insert into incident_alert (
           id, source, fingerprint, status, severity, title, description,
           entity_ref, labels, tags, group_key, starts_at, ends_at,
           first_seen_at, last_seen_at, fired_at, resolved_at, seen_count,
           storm_id, incident_id)
         select x.id, x.source, x.fingerprint, x.status, x.severity, x.title,
                x.description, x.entity_ref, x.labels, x.tags, x.group_key,
                x.starts_at, x.ends_at, $3::timestamptz, $3::timestamptz, $3::timestamptz, x.resolved_at, 1,
                j.storm_id, j.parent_incident_id
         from incoming x
         left join joined j on j.alert_id = x.id
         on conflict (fingerprint, source) do nothing
         returning id
       ),
       new_keys as (
         insert into incident_alert_key (alert_id, key, fired_at)
         select x.id, k.key, $3::timestamptz
         from incoming x
         join inserted n on n.id = x.id
         cross join unnest(x.keys) as k(key)
         on conflict (alert_id, key) do update set fired_at = excluded.fired_at
       )
       select n.id, j.ref_number
       from inserted n
       left join joined j on j.alert_id = n.id`;

/**
 * Inserts a message's new alerts in one named statement (parsed and planned
 * once per connection), see above. Alerts already stored are not inserted
 * and not returned.
 */
export async function insertNewAlerts(
  knex: Knex,
  rows: Row[],
  stormKeys: string[],
  now: Date,
): Promise<Array<{ id: string; ref_number: number | string | null }>> {
  const connection = await knex.client.acquireConnection();
  try {
    const result = await queryPostgres<{
      id: string;
      ref_number: number | string | null;
    }>(connection, {
      name: 'vigil_alert_intake_v1',
      text: ALERT_INTAKE_STATEMENT,
      values: [JSON.stringify(rows), stormKeys, now],
    });
    return result.rows;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
