// @ts-check

/**
 * Postmortems: one Markdown document per incident with a version for
 * optimistic locking, every write kept as a revision, the reminders sent for
 * missing postmortems, and action items' horizon and overdue reminders.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_postmortem', table => {
    table.comment('The postmortem of an incident (at most one)');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('title', 400).notNullable();
    table.text('body').notNullable().comment('Markdown');
    table
      .string('status', 16)
      .notNullable()
      .comment('draft, review or published');
    table
      .integer('version')
      .notNullable()
      .comment('Raised by every write; saves compare and set on it');
    table
      .integer('revision')
      .notNullable()
      .comment('1, plus one per new revision after publishing');
    table.string('created_by').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('updated_by').notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.string('submitted_by');
    table.timestamp('submitted_at', { useTz: true });
    table.string('published_by');
    table.timestamp('published_at', { useTz: true });
    table.unique(['incident_id'], {
      indexName: 'incident_postmortem_incident_id_uniq',
    });
    table.index(['status', 'updated_at'], 'incident_postmortem_status_idx');
  });

  await knex.schema.createTable('incident_postmortem_revision', table => {
    table.comment('Every write of a postmortem, with the body it wrote');
    table.bigIncrements('id').primary();
    table
      .uuid('postmortem_id')
      .notNullable()
      .references('id')
      .inTable('incident_postmortem')
      .onDelete('CASCADE');
    table.integer('version').notNullable();
    table.integer('revision').notNullable();
    table.string('status', 16).notNullable();
    table
      .string('action', 16)
      .notNullable()
      .comment('started, saved, review, draft or published');
    table.string('author').notNullable();
    table.text('body').notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['postmortem_id', 'version'], {
      indexName: 'incident_postmortem_revision_version_uniq',
    });
  });

  await knex.schema.createTable('incident_postmortem_reminder', table => {
    table.comment('Reminders sent because a required postmortem is missing');
    table
      .uuid('incident_id')
      .primary()
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.integer('reminders_sent').notNullable();
    table.string('last_recipient').notNullable();
    table.timestamp('last_reminded_at', { useTz: true }).notNullable();
  });

  await knex.schema.alterTable('incident_action_item', table => {
    table
      .string('horizon', 8)
      .comment('short, medium or long term; null when not set');
    table
      .timestamp('overdue_notified_at', { useTz: true })
      .comment('When the owner was last told the item is overdue');
    table.index(['done', 'due_date'], 'incident_action_item_due_date_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_action_item', table => {
    table.dropIndex(['done', 'due_date'], 'incident_action_item_due_date_idx');
  });
  await knex.schema.alterTable('incident_action_item', table => {
    table.dropColumn('overdue_notified_at');
    table.dropColumn('horizon');
  });
  await knex.schema.dropTable('incident_postmortem_reminder');
  await knex.schema.dropTable('incident_postmortem_revision');
  await knex.schema.dropTable('incident_postmortem');
};
