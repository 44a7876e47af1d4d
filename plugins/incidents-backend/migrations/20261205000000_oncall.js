// @ts-check

/**
 * On-call: hand-off and shift notices (each claimed once across replicas),
 * swap requests between schedule members, each schedule's audit list, and
 * the secret links calendar apps subscribe to.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('oncall_handoff', table => {
    table.comment(
      'A hand-off that was announced: claimed once per schedule and instant',
    );
    table.string('schedule_id', 100).notNullable();
    table.timestamp('handoff_at', { useTz: true }).notNullable();
    table.string('from_user');
    table.string('to_user');
    table.timestamp('announced_at', { useTz: true }).notNullable();
    table.primary(['schedule_id', 'handoff_at']);
  });

  await knex.schema.createTable('oncall_shift_notice', table => {
    table.comment(
      '"You are on call from … to …" sent ahead of a shift: once per shift',
    );
    table.string('schedule_id', 100).notNullable();
    table.string('user_ref').notNullable();
    table.timestamp('shift_start', { useTz: true }).notNullable();
    table.timestamp('shift_end', { useTz: true }).notNullable();
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['schedule_id', 'user_ref', 'shift_start']);
  });

  await knex.schema.createTable('oncall_swap_request', table => {
    table.comment('A member offers a slot (or part of it) to another member');
    table.uuid('id').primary().notNullable();
    table.string('schedule_id', 100).notNullable();
    table.string('requester').notNullable();
    table.string('target').notNullable();
    table.timestamp('start_at', { useTz: true }).notNullable();
    table.timestamp('end_at', { useTz: true }).notNullable();
    table.string('reason', 500);
    table
      .string('status', 16)
      .notNullable()
      .comment('pending, accepted, declined or cancelled');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('decided_at', { useTz: true });
    table.string('decided_by');
    table.uuid('override_id').comment('The override an accepted swap made');
    table.index(['schedule_id', 'status'], 'oncall_swap_schedule_status_idx');
    table.index(['target', 'status'], 'oncall_swap_target_status_idx');
  });

  await knex.schema.createTable('oncall_schedule_event', table => {
    table.comment('A schedule’s audit list: swaps, overrides, imports');
    table.uuid('id').primary().notNullable();
    table.string('schedule_id', 100).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.string('actor').notNullable();
    table.string('type', 40).notNullable();
    table.string('message', 1000).notNullable();
    table.text('data').comment('JSON details');
    table.index(['schedule_id', 'at'], 'oncall_schedule_event_schedule_at_idx');
  });

  await knex.schema.createTable('oncall_calendar_token', table => {
    table.comment(
      'A calendar subscription link: calendar apps fetch it without a sign-in',
    );
    table.string('token', 64).primary().notNullable();
    table.string('user_ref').notNullable().comment('Whose link it is');
    table
      .string('schedule_id', 100)
      .comment("The schedule's feed; null for the user's own shifts");
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['user_ref', 'schedule_id'], 'oncall_calendar_token_user_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  for (const table of [
    'oncall_calendar_token',
    'oncall_schedule_event',
    'oncall_swap_request',
    'oncall_shift_notice',
    'oncall_handoff',
  ]) {
    await knex.schema.dropTable(table);
  }
};
