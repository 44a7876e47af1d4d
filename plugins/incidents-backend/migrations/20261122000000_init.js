// @ts-check

/**
 * The first Vigil schema: incidents, their affected services and the
 * per-deployment counter behind human references (`INC-<n>`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_ref_counter', table => {
    table.comment('Allocates human references INC-<n>; one row');
    table.string('name').primary().notNullable();
    table.bigInteger('value').notNullable();
  });
  await knex('incident_ref_counter').insert({ name: 'incident', value: 0 });

  await knex.schema.createTable('incident', table => {
    table.comment('One row per incident');
    table.uuid('id').primary().notNullable();
    table.bigInteger('ref_number').notNullable();
    table.string('title', 300).notNullable();
    table.text('description');
    table.string('severity', 8).notNullable();
    table.string('status', 20).notNullable();
    table.string('commander');
    table.string('responder');
    table.string('dedup_key', 255);
    table.uuid('parent_id');
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true });
    table.timestamp('mitigated_at', { useTz: true });
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('cancelled_at', { useTz: true });
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['ref_number'], { indexName: 'incident_ref_number_uniq' });
    table.index(['opened_at', 'id'], 'incident_opened_at_id_idx');
    table.index(['status'], 'incident_status_idx');
    table.index(['dedup_key'], 'incident_dedup_key_idx');
  });

  await knex.schema.createTable('incident_service', table => {
    table.comment('Affected services: catalog entity refs, many to many');
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(['entity_ref'], 'incident_service_entity_ref_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_service');
  await knex.schema.dropTable('incident');
  await knex.schema.dropTable('incident_ref_counter');
};
