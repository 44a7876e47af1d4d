// @ts-check

/**
 * On-call: generated rotation slots and overrides. Schedule definitions live
 * in app-config; the database holds only what they generate and what people
 * changed by hand.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('oncall_slot', table => {
    table.comment('Who covers a schedule when: rotation slots and overrides');
    table.uuid('id').primary().notNullable();
    table.string('schedule_id', 100).notNullable();
    table.string('user_ref').notNullable();
    table.timestamp('start_at', { useTz: true }).notNullable();
    table.timestamp('end_at', { useTz: true }).notNullable();
    table
      .boolean('is_override')
      .notNullable()
      .defaultTo(false)
      .comment('Overrides survive every regeneration');
    table.integer('rotation_index').comment('Slot number of the rotation');
    table.string('created_by');
    table.string('reason', 500);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(
      ['schedule_id', 'start_at', 'end_at'],
      'oncall_slot_schedule_id_start_at_idx',
    );
    table.index(['user_ref', 'start_at'], 'oncall_slot_user_ref_start_at_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('oncall_slot');
};
