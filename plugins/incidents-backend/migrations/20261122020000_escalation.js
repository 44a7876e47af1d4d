// @ts-check

/**
 * Escalation and paging: the policy snapshot each paging incident runs,
 * its durable timers, the pages they sent and every delivery attempt.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('incident_escalation', table => {
    table.comment('An escalation policy running for one incident');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.string('policy_id', 100).notNullable();
    table
      .text('policy')
      .notNullable()
      .comment('JSON snapshot of the policy taken when paging started');
    table
      .string('status', 16)
      .notNullable()
      .comment('active, stopped (acknowledged or closed) or exhausted');
    table.timestamp('started_at', { useTz: true }).notNullable();
    table.timestamp('stopped_at', { useTz: true });
    table.string('stopped_by');
    table.string('stop_reason', 500);
    table.unique(['incident_id', 'policy_id'], {
      indexName: 'incident_escalation_incident_policy_uniq',
    });
  });

  await knex.schema.createTable('incident_escalation_timer', table => {
    table.comment('A durable timer: one step of one round of an escalation');
    table.uuid('id').primary().notNullable();
    table
      .uuid('escalation_id')
      .notNullable()
      .references('id')
      .inTable('incident_escalation')
      .onDelete('CASCADE');
    table.uuid('incident_id').notNullable();
    table.integer('round').notNullable().comment('0 = first pass');
    table.integer('step').notNullable().comment('1-based step of the policy');
    table.timestamp('due_at', { useTz: true }).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, fired or cancelled');
    table.timestamp('fired_at', { useTz: true });
    table.string('fired_by', 100).comment('Instance that fired the timer');
    table.unique(['escalation_id', 'round', 'step'], {
      indexName: 'incident_escalation_timer_step_uniq',
    });
    table.index(['status', 'due_at'], 'incident_escalation_timer_due_idx');
    table.index(['incident_id'], 'incident_escalation_timer_incident_idx');
  });

  await knex.schema.createTable('incident_page', table => {
    table.comment('One page: one recipient paged by one timer');
    table.uuid('id').primary().notNullable();
    table
      .uuid('incident_id')
      .notNullable()
      .references('id')
      .inTable('incident')
      .onDelete('CASCADE');
    table.uuid('escalation_id').notNullable();
    table.uuid('timer_id').notNullable();
    table.integer('round').notNullable();
    table.integer('step').notNullable();
    table.string('recipient').notNullable().comment('User entity ref');
    table.string('via', 300).comment('The target that named the recipient');
    table.timestamp('due_at', { useTz: true }).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['timer_id', 'recipient'], {
      indexName: 'incident_page_timer_recipient_uniq',
    });
    table.index(['incident_id'], 'incident_page_incident_idx');
    table.index(['recipient', 'created_at'], 'incident_page_recipient_idx');
  });

  await knex.schema.createTable('incident_page_delivery', table => {
    table.comment('A page handed to one pager, retried with backoff');
    table.uuid('id').primary().notNullable();
    table
      .uuid('page_id')
      .notNullable()
      .references('id')
      .inTable('incident_page')
      .onDelete('CASCADE');
    table.string('pager_id', 100).notNullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, sending, sent or failed');
    table.integer('attempts').notNullable().defaultTo(0);
    table.timestamp('next_attempt_at', { useTz: true }).notNullable();
    table.timestamp('lease_until', { useTz: true });
    table.text('last_error');
    table.timestamp('sent_at', { useTz: true });
    table.unique(['page_id', 'pager_id'], {
      indexName: 'incident_page_delivery_page_pager_uniq',
    });
    table.index(
      ['status', 'next_attempt_at'],
      'incident_page_delivery_due_idx',
    );
  });

  await knex.schema.createTable('incident_page_attempt', table => {
    table.comment('Every attempt to deliver a page, for the delivery audit');
    table.bigIncrements('id').primary();
    table
      .uuid('delivery_id')
      .notNullable()
      .references('id')
      .inTable('incident_page_delivery')
      .onDelete('CASCADE');
    table.integer('attempt').notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.boolean('ok').notNullable();
    table.text('error');
    table.integer('duration_ms');
    table.index(['delivery_id'], 'incident_page_attempt_delivery_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('incident_page_attempt');
  await knex.schema.dropTable('incident_page_delivery');
  await knex.schema.dropTable('incident_page');
  await knex.schema.dropTable('incident_escalation_timer');
  await knex.schema.dropTable('incident_escalation');
};
