// @ts-check

/**
 * Faster incident reads.
 *
 * - `incident.service_refs`, `owner_refs` and `responder_refs`: JSON arrays
 *   copying incident_service, incident_owner and incident_responder, written
 *   by the incident store together with those tables (which stay the source
 *   for filtering), so that reading a page of incidents or one incident needs
 *   no lookups in them. Existing rows are filled in here; a row without them
 *   (null) is read from the tables.
 * - `incident_change`: counts the committed changes to incidents. Every write
 *   transaction of the incident store that can change what a list counts
 *   adds one to a shard, as its last statement; a list remembers the count it
 *   computed with the sum of the shards it saw, and reuses the count while
 *   the sum is unchanged, which means no change has been committed since (by
 *   any replica). Shards keep concurrent writers from queueing on one row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident', table => {
    table
      .text('service_refs')
      .comment('JSON array: copy of incident_service for reads');
    table.text('owner_refs').comment('JSON array: copy of incident_owner');
    table
      .text('responder_refs')
      .comment('JSON array: copy of incident_responder');
  });
  const isPostgres = knex.client.config.client === 'pg';
  /**
   * An incident's values of `column` in `table` as a JSON array; reads sort
   * them, so their order here does not matter.
   * @param {string} table
   * @param {string} column
   */
  const copy = (table, column) =>
    `(select ${
      isPostgres
        ? `coalesce(json_agg(c.${column})::text, '[]')`
        : `json_group_array(c.${column})`
    } from ${table} c where c.incident_id = incident.id)`;
  await knex.raw(
    `update incident set service_refs = ${copy(
      'incident_service',
      'entity_ref',
    )}, owner_refs = ${copy(
      'incident_owner',
      'group_ref',
    )}, responder_refs = ${copy('incident_responder', 'user_ref')}`,
  );

  await knex.schema.createTable('incident_change', table => {
    table.comment(
      'Committed changes to incidents, counted in shards (see DatabaseIncidentStore)',
    );
    table.integer('shard').primary().notNullable();
    table.bigInteger('changes').notNullable().defaultTo(0);
  });
  await knex('incident_change').insert(
    Array.from({ length: 16 }, (_, shard) => ({ shard, changes: 0 })),
  );
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_change');
  await knex.schema.alterTable('incident', table => {
    table.dropColumn('responder_refs');
    table.dropColumn('owner_refs');
    table.dropColumn('service_refs');
  });
};
