// @ts-check

/**
 * Alerts and storms: every alert a source sent (deduplicated per source on
 * its fingerprint), the keys storms group them by, and the storms.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_alert', table => {
    table.comment('An alert from a source, one row per (source, fingerprint)');
    table.uuid('id').primary().notNullable();
    table
      .string('source', 200)
      .notNullable()
      .comment('Format and sender, e.g. alertmanager:prometheus-prod');
    table.string('fingerprint', 300).notNullable();
    table.string('status', 16).notNullable().comment('firing or resolved');
    table.string('severity', 10).notNullable();
    table.string('title', 500).notNullable();
    table.text('description');
    table.string('entity_ref').comment('The catalog component it maps to');
    table.text('labels').comment('JSON object');
    table.text('tags').comment('JSON array');
    table
      .string('group_key', 1000)
      .comment('Alertmanager receiver + groupKey, or the sender dedup key');
    table
      .uuid('incident_id')
      .comment('The top-level incident the alert belongs to');
    table.uuid('opened_incident_id').comment('The incident this alert opened');
    table.uuid('storm_id');
    table.timestamp('starts_at', { useTz: true });
    table.timestamp('ends_at', { useTz: true });
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table
      .timestamp('fired_at', { useTz: true })
      .notNullable()
      .comment('When it last started firing');
    table.timestamp('resolved_at', { useTz: true });
    table.integer('seen_count').notNullable().defaultTo(1);
    table.unique(['source', 'fingerprint'], {
      indexName: 'incident_alert_source_fingerprint_uniq',
    });
    table.index(['last_seen_at'], 'incident_alert_last_seen_idx');
    table.index(
      ['entity_ref', 'last_seen_at'],
      'incident_alert_entity_last_seen_idx',
    );
    table.index(['incident_id'], 'incident_alert_incident_idx');
    table.index(['storm_id'], 'incident_alert_storm_idx');
  });

  await knex.schema.createTable('incident_alert_key', table => {
    table.comment('What storms group an alert by: its service and its tags');
    table
      .uuid('alert_id')
      .notNullable()
      .references('id')
      .inTable('incident_alert')
      .onDelete('CASCADE');
    table.string('key', 300).notNullable().comment('service:<ref> or tag:<t>');
    table.timestamp('fired_at', { useTz: true }).notNullable();
    table.primary(['alert_id', 'key']);
    table.index(['key', 'fired_at'], 'incident_alert_key_fired_idx');
  });

  await knex.schema.createTable('incident_storm', table => {
    table.comment('Alerts folded into one parent incident');
    table.uuid('id').primary().notNullable();
    table.string('key', 300).notNullable();
    table
      .string('active_key', 300)
      .unique({ indexName: 'incident_storm_active_key_uniq' })
      .comment('Set while the storm is open: one open storm per key');
    table.uuid('parent_incident_id');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('closed_at', { useTz: true });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_storm');
  await knex.schema.dropTable('incident_alert_key');
  await knex.schema.dropTable('incident_alert');
};
