// @ts-check

/**
 * Exact list counts that can be reused: `incident_change` counts the
 * committed changes to incidents (their services, owners and responders
 * included). Every write transaction of the incident store adds one to a
 * shard, as its last statement; a list remembers the count it computed with
 * the sum of the shards it saw, and reuses the count while the sum is
 * unchanged, which means no change has been committed since (on every
 * replica). Shards keep concurrent writers from queueing on one row.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
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
};
