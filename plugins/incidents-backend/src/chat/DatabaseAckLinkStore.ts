import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { toIso } from '../lib/rows';
import { AckLinkStore, AckTokenUse } from './AckLinkStore';

/** Used acknowledge-link tokens in Backstage's database. */
export class DatabaseAckLinkStore implements AckLinkStore {
  constructor(private readonly knex: Knex) {}

  async findUse(tokenId: string): Promise<AckTokenUse | undefined> {
    const row = await this.knex('incident_ack_token_use')
      .where({ token_id: tokenId })
      .first();
    return row
      ? {
          tokenId: row.token_id,
          pageId: row.page_id,
          userRef: row.user_ref,
          usedAt: new Date(toIso(row.used_at)!),
        }
      : undefined;
  }

  async recordUse(
    tx: Knex.Transaction,
    use: AckTokenUse & { expiresAt: Date },
  ): Promise<void> {
    // The primary key decides between two uses at once: the second insert
    // waits for the first transaction and then inserts nothing.
    const inserted = await tx('incident_ack_token_use')
      .insert({
        token_id: use.tokenId,
        page_id: use.pageId,
        user_ref: use.userRef,
        used_at: use.usedAt,
        expires_at: use.expiresAt,
      })
      .onConflict('token_id')
      .ignore()
      .returning('token_id');
    if (inserted.length !== 1) {
      throw new ConflictError('This acknowledge link was already used');
    }
  }
}
