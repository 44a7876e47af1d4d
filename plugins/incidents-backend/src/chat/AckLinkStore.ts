import { Knex } from 'knex';

/** A used acknowledge-link token. */
export interface AckTokenUse {
  tokenId: string;
  pageId: string;
  userRef: string;
  usedAt: Date;
}

/**
 * Acknowledge-link tokens already used: a token is accepted once, recorded
 * in the acknowledgement's own transaction.
 */
export interface AckLinkStore {
  findUse(tokenId: string): Promise<AckTokenUse | undefined>;
  /**
   * Records a use inside the caller's transaction; a token used before is a
   * ConflictError (and the caller's transaction rolls back).
   */
  recordUse(
    tx: Knex.Transaction,
    use: AckTokenUse & { expiresAt: Date },
  ): Promise<void>;
}
