// @ts-check

/**
 * Insights: an incident can be left out of the response metrics (game days,
 * tests), and the metrics read incidents by the time they were opened.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident', table => {
    table
      .boolean('exclude_from_metrics')
      .notNullable()
      .defaultTo(false)
      .comment('Left out of the response metrics');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident', table => {
    table.dropColumn('exclude_from_metrics');
  });
};
