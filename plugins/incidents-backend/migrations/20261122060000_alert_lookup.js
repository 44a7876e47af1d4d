// @ts-check

/**
 * The alert dedup key as (fingerprint, source) instead of (source,
 * fingerprint).
 *
 * Intake looks stored alerts up by `source = ? and fingerprint in (…)`. One
 * source usually sends nearly every alert, so `source` alone selects almost
 * the whole table; with the fingerprint leading, the lookup can only use the
 * index by fingerprint and stays a few index probes whatever the planner
 * believes about the table (on PostgreSQL a young table without statistics
 * was scanned source-wide on every delivery, slower as alerts accumulated).
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('incident_alert', table => {
    table.dropUnique(
      ['source', 'fingerprint'],
      'incident_alert_source_fingerprint_uniq',
    );
    table.unique(['fingerprint', 'source'], {
      indexName: 'incident_alert_fingerprint_source_uniq',
    });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('incident_alert', table => {
    table.dropUnique(
      ['fingerprint', 'source'],
      'incident_alert_fingerprint_source_uniq',
    );
    table.unique(['source', 'fingerprint'], {
      indexName: 'incident_alert_source_fingerprint_uniq',
    });
  });
};
