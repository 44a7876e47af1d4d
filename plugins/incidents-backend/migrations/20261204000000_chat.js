// @ts-check

/**
 * Chat and acknowledge links:
 * - where an incident's acknowledgement came from (portal, slack, link...);
 * - acknowledge-link tokens already used (single use, recorded with the
 *   acknowledgement in one transaction);
 * - outbox messages about an incident (chat posts) name it, so the war
 *   room's Paging card lists them with their attempts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident', table => {
    table
      .string('acknowledged_via', 20)
      .comment(
        'Where the acknowledgement came from: portal, home-widget, entity-card, api, slack, link or action',
      );
  });
  await knex.schema.createTable('incident_ack_token_use', table => {
    table.comment(
      'Acknowledge-link tokens that were used; a token is accepted once',
    );
    table
      .string('token_id', 64)
      .primary()
      .notNullable()
      .comment('The nonce the signed token carries');
    table.uuid('page_id').notNullable().comment('The page the token is for');
    table
      .string('user_ref', 255)
      .notNullable()
      .comment('The paged user it was issued to');
    table.timestamp('used_at', { useTz: true }).notNullable();
    table
      .timestamp('expires_at', { useTz: true })
      .notNullable()
      .comment('Rows may be removed after this: the token is refused anyway');
  });
  await knex.schema.alterTable('incident_page_delivery', table => {
    table
      .uuid('incident_id')
      .comment(
        'The incident a channel message is about (chat posts); null otherwise',
      );
    table.index(['incident_id'], 'incident_page_delivery_incident_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_page_delivery', table => {
    table.dropIndex(['incident_id'], 'incident_page_delivery_incident_idx');
    table.dropColumn('incident_id');
  });
  await knex.schema.dropTable('incident_ack_token_use');
  await knex.schema.alterTable('incident', table => {
    table.dropColumn('acknowledged_via');
  });
};
