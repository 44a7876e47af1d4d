// @ts-check

/**
 * The first Vigil schema: incidents with their affected services, owner
 * groups, responders, timeline, audit log, action items, status updates and
 * evidence links, and the allocation of human references (`INC-<n>`).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const isPostgres = knex.client.config.client === 'pg';

  // PostgreSQL allocates references from a sequence (no row lock held for the
  // whole opening transaction); SQLite serialises writers anyway and uses a
  // counter row updated inside the transaction.
  if (isPostgres) {
    await knex.raw('CREATE SEQUENCE incident_ref_seq START 1');
  } else {
    await knex.schema.createTable('incident_ref_counter', table => {
      table.comment('Allocates human references INC-<n> (SQLite only)');
      table.string('name').primary().notNullable();
      table.bigInteger('value').notNullable();
    });
    await knex('incident_ref_counter').insert({ name: 'incident', value: 0 });
  }

  await knex.schema.createTable('incident', table => {
    table.comment('One row per incident');
    table.uuid('id').primary().notNullable();
    table.bigInteger('ref_number').notNullable();
    table.string('title', 300).notNullable();
    table.text('description');
    table.string('severity', 8).notNullable();
    table.string('status', 20).notNullable();
    table.string('commander');
    table.string('comms_owner');
    table.string('technical_lead');
    table.string('responder').comment('The user who acknowledged');
    table.text('environments').notNullable().comment('JSON array of strings');
    table.integer('impact_users');
    table.text('impact_business');
    table.text('root_cause_hypothesis');
    table.text('root_cause_confirmed');
    table.text('root_cause_trigger');
    table.string('change_url', 2000);
    table.string('change_title', 300);
    table.string('change_source', 100);
    table.string('dedup_key', 255);
    table
      .string('active_dedup_key', 255)
      .comment('dedup_key while the incident is unresolved, else null');
    table.uuid('parent_id');
    table.integer('child_count').notNullable().defaultTo(0);
    table.string('opened_by').notNullable();
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.timestamp('acknowledged_at', { useTz: true });
    table.timestamp('identified_at', { useTz: true });
    table.timestamp('mitigated_at', { useTz: true });
    table.timestamp('resolved_at', { useTz: true });
    table.timestamp('cancelled_at', { useTz: true });
    table.timestamp('postmortem_at', { useTz: true });
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.unique(['ref_number'], { indexName: 'incident_ref_number_uniq' });
    table.unique(['active_dedup_key'], {
      indexName: 'incident_active_dedup_key_uniq',
    });
    table.index(['opened_at', 'id'], 'incident_opened_at_id_idx');
    table.index(['updated_at', 'id'], 'incident_updated_at_id_idx');
    table.index(['status', 'opened_at'], 'incident_status_opened_at_idx');
    table.index(['severity', 'opened_at'], 'incident_severity_opened_at_idx');
    table.index(['status', 'severity'], 'incident_status_severity_idx');
    // Partial: almost every parent_id is null, and a full index on it looks
    // useless to SQLite's planner after ANALYZE.
    table.index(['parent_id'], 'incident_parent_id_idx', {
      predicate: knex.whereNotNull('parent_id'),
    });
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
    table.timestamp('opened_at', { useTz: true }).notNullable();
    table.primary(['incident_id', 'entity_ref']);
    table.index(
      ['entity_ref', 'opened_at', 'incident_id'],
      'incident_service_entity_ref_idx',
    );
  });

  await knex.schema.createTable('incident_owner', table => {
    table.comment('Owner groups of the affected services, from the catalog');
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('group_ref').notNullable();
    table.primary(['incident_id', 'group_ref']);
    table.index(['group_ref', 'incident_id'], 'incident_owner_group_ref_idx');
  });

  await knex.schema.createTable('incident_responder', table => {
    table.comment('Responders working an incident (user refs)');
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('user_ref').notNullable();
    table.primary(['incident_id', 'user_ref']);
    table.index(['user_ref'], 'incident_responder_user_ref_idx');
  });

  await knex.schema.createTable('incident_timeline', table => {
    table.comment('The war-room log of an incident');
    table.bigIncrements('id').primary();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('kind', 30).notNullable();
    table.string('actor').notNullable();
    table.text('message').notNullable();
    table.text('links').comment('JSON array of { url, title }');
    table.text('data').comment('JSON object');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id', 'id'], 'incident_timeline_incident_id_idx');
  });

  await knex.schema.createTable('incident_audit', table => {
    table.comment('Who changed what, written with every change');
    table.bigIncrements('id').primary();
    table.uuid('incident_id').notNullable();
    table.string('action', 50).notNullable();
    table.string('actor').notNullable();
    table.text('details').comment('JSON object');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id', 'id'], 'incident_audit_incident_id_idx');
  });

  await knex.schema.createTable('incident_action_item', table => {
    table.comment('Follow-up work from an incident');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('title', 300).notNullable();
    table.string('owner');
    table.string('due_date', 10);
    table.boolean('done').notNullable().defaultTo(false);
    table.string('link', 2000);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id'], 'incident_action_item_incident_id_idx');
    table.index(['owner', 'done'], 'incident_action_item_owner_idx');
  });

  await knex.schema.createTable('incident_status_update', table => {
    table.comment('Internal or external (public) status updates');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('visibility', 10).notNullable();
    table.text('message').notNullable();
    table.string('author').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id'], 'incident_status_update_incident_id_idx');
  });

  await knex.schema.createTable('incident_evidence', table => {
    table.comment('Evidence links: dashboards, log queries, threads');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('url', 2000).notNullable();
    table.string('title', 300);
    table.string('added_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['incident_id'], 'incident_evidence_incident_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'incident_evidence',
    'incident_status_update',
    'incident_action_item',
    'incident_audit',
    'incident_timeline',
    'incident_responder',
    'incident_owner',
    'incident_service',
    'incident',
  ]) {
    await knex.schema.dropTable(table);
  }
  if (knex.client.config.client === 'pg') {
    await knex.raw('DROP SEQUENCE incident_ref_seq');
  } else {
    await knex.schema.dropTable('incident_ref_counter');
  }
};
