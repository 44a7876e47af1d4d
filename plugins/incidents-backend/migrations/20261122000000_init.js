// @ts-check

/**
 * Vigil's schema, one table group per domain:
 *
 * - incidents: the incident with its affected services, owner groups,
 *   responders, timeline, audit log, status updates and evidence links, the
 *   allocation of human references (`INC-<n>`) and the change counter lists
 *   use to reuse their counts;
 * - on-call: generated rotation slots and overrides (definitions live in
 *   app-config);
 * - escalation and paging: the policy snapshot each paging incident runs, its
 *   durable timers, the pages they sent and every delivery attempt;
 * - postmortems: one Markdown document per incident with a version for
 *   optimistic locking, its revisions, reminders, and the action items;
 * - alerts: every alert (deduplicated per source on its fingerprint), the keys
 *   storms group them by, and the storms.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  // ---- incidents -------------------------------------------------------------
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
    // Copies of incident_service, incident_owner and incident_responder
    // (which filters use), written with them, so reads need no other table.
    table
      .text('service_refs')
      .comment('JSON array: copy of incident_service for reads');
    table.text('owner_refs').comment('JSON array: copy of incident_owner');
    table
      .text('responder_refs')
      .comment('JSON array: copy of incident_responder');
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
    table
      .string('horizon', 8)
      .comment('short, medium or long term; null when not set');
    table.boolean('done').notNullable().defaultTo(false);
    table.string('link', 2000);
    table.timestamp('created_at', { useTz: true }).notNullable();
    table
      .timestamp('overdue_notified_at', { useTz: true })
      .comment('When the owner was last told the item is overdue');
    table.index(['incident_id'], 'incident_action_item_incident_id_idx');
    table.index(['owner', 'done'], 'incident_action_item_owner_idx');
    table.index(['done', 'due_date'], 'incident_action_item_due_date_idx');
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

  // Committed changes to incidents, counted in shards: every write
  // transaction of the incident store that can change what a list counts adds
  // one to a random shard as its last statement; a list reuses the count it
  // computed while the sum of the shards is unchanged (no change committed
  // since, by any replica). Shards keep concurrent writers off one row.
  await knex.schema.createTable('incident_change', table => {
    table.comment('Committed changes to incidents, counted in shards');
    table.integer('shard').primary().notNullable();
    table.bigInteger('changes').notNullable().defaultTo(0);
  });
  await knex('incident_change').insert(
    Array.from({ length: 16 }, (_, shard) => ({ shard, changes: 0 })),
  );

  // ---- on-call ---------------------------------------------------------------
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

  // ---- escalation and paging -------------------------------------------------
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
    table.comment(
      'The outbox: a page handed to one pager, or a message to a channel (status page subscribers), retried with backoff',
    );
    table.uuid('id').primary().notNullable();
    table
      .uuid('page_id')
      .references('id')
      .inTable('incident_page')
      .onDelete('CASCADE')
      .comment('The page; null for a channel message');
    table
      .string('pager_id', 100)
      .notNullable()
      .comment('The pager or channel that sends it');
    table.text('payload').comment('A channel message (JSON); null for a page');
    table.timestamp('created_at', { useTz: true });
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

  // ---- postmortems -----------------------------------------------------------
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

  // ---- alerts ----------------------------------------------------------------
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
    // Fingerprint first: intake looks alerts up by source and fingerprints,
    // and one source sends nearly every alert, so a source-led index selects
    // almost the whole table (PostgreSQL scanned it on a young table).
    table.unique(['fingerprint', 'source'], {
      indexName: 'incident_alert_fingerprint_source_uniq',
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
  for (const table of [
    'incident_storm',
    'incident_alert_key',
    'incident_alert',
    'incident_postmortem_reminder',
    'incident_postmortem_revision',
    'incident_postmortem',
    'incident_page_attempt',
    'incident_page_delivery',
    'incident_page',
    'incident_escalation_timer',
    'incident_escalation',
    'oncall_slot',
    'incident_change',
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
