import { Knex } from 'knex';

/** Whether the Knex instance talks to PostgreSQL (else SQLite, in practice). */
export function isPostgres(knex: Knex): boolean {
  return knex.client.config.client === 'pg';
}

/**
 * Runs work in one database transaction. Services that change the tables
 * of several stores at once (escalation firing a timer writes pages, the
 * timeline and the next timer) hold one and hand its transaction to each
 * store; Knex itself is one.
 */
export interface TransactionRunner {
  transaction<T>(work: (tx: Knex.Transaction) => Promise<T>): Promise<T>;
}
