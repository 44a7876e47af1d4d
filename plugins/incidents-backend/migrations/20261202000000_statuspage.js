// @ts-check

/**
 * The public status page: the public record of an incident (its public name,
 * status and impact, the components it touches and its public updates),
 * scheduled maintenance, and a version every public change raises (replicas
 * compare it to know their cached documents are current). Alerts record the
 * maintenance that silenced them.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('statuspage_incident', table => {
    table.comment('The public record of an incident');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('name', 300).notNullable().comment('The public name');
    table
      .string('status', 16)
      .notNullable()
      .comment('investigating, identified, monitoring or resolved');
    table
      .string('lifecycle_status', 16)
      .notNullable()
      .comment('The status last derived from the incident lifecycle');
    table
      .string('impact', 10)
      .comment('none, minor, major or critical; null: from the severity');
    table.boolean('published').notNullable();
    table.boolean('auto').notNullable().comment('Published by severity');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('monitoring_at', { useTz: true });
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['incident_id'], {
      indexName: 'statuspage_incident_incident_id_uniq',
    });
    table.index(
      ['published', 'started_at'],
      'statuspage_incident_published_idx',
    );
  });

  await knex.schema.createTable('statuspage_incident_component', table => {
    table.comment('The public components an incident touches');
    table
      .uuid('statuspage_incident_id')
      .notNullable()
      .references('id')
      .inTable('statuspage_incident')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table
      .string('status', 24)
      .comment('An override of the derived component status, or null');
    table.primary(['statuspage_incident_id', 'entity_ref']);
  });

  await knex.schema.createTable('statuspage_maintenance', table => {
    table.comment('Scheduled maintenance shown on the public page');
    table.uuid('id').primary().notNullable();
    table.string('name', 300).notNullable();
    table.text('body');
    table
      .string('status', 16)
      .notNullable()
      .comment('scheduled, in_progress, verifying or completed (as set)');
    table.timestamp('scheduled_for', { useTz: true }).notNullable();
    table.timestamp('scheduled_until', { useTz: true }).notNullable();
    table.timestamp('started_at', { useTz: true });
    table.timestamp('completed_at', { useTz: true });
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.index(['scheduled_until'], 'statuspage_maintenance_until_idx');
  });

  await knex.schema.createTable('statuspage_maintenance_component', table => {
    table.comment('The components a maintenance window covers');
    table
      .uuid('maintenance_id')
      .notNullable()
      .references('id')
      .inTable('statuspage_maintenance')
      .onDelete('CASCADE');
    table.string('entity_ref').notNullable();
    table.primary(['maintenance_id', 'entity_ref']);
    table.index(['entity_ref'], 'statuspage_maintenance_component_ref_idx');
  });

  await knex.schema.createTable('statuspage_update', table => {
    table.comment('Public updates of incidents and maintenance');
    table.uuid('id').primary().notNullable();
    table
      .uuid('statuspage_incident_id')
      .references('id')
      .inTable('statuspage_incident')
      .onDelete('CASCADE');
    table
      .uuid('maintenance_id')
      .references('id')
      .inTable('statuspage_maintenance')
      .onDelete('CASCADE');
    table.string('status', 16).notNullable();
    table.text('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['statuspage_incident_id', 'created_at'],
      'statuspage_update_incident_idx',
    );
    table.index(
      ['maintenance_id', 'created_at'],
      'statuspage_update_maintenance_idx',
    );
  });

  await knex.schema.createTable('statuspage_state', table => {
    table.comment('Raised by every public change (one row)');
    table.integer('id').primary().notNullable();
    table.bigInteger('version').notNullable();
  });
  await knex('statuspage_state').insert({ id: 1, version: 1 });

  await knex.schema.alterTable('incident_alert', table => {
    table
      .uuid('silenced_by')
      .comment('The maintenance its component was under when it fired');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_alert', table => {
    table.dropColumn('silenced_by');
  });
  for (const table of [
    'statuspage_state',
    'statuspage_update',
    'statuspage_maintenance_component',
    'statuspage_maintenance',
    'statuspage_incident_component',
    'statuspage_incident',
  ]) {
    await knex.schema.dropTable(table);
  }
};
