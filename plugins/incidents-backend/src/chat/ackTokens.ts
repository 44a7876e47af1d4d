/*
 * Acknowledge-link tokens: `<payload>.<signature>`, both base64url, where
 * the payload is JSON `{ v: 1, p: pageId, u: userRef, e: expiry (unix s) }`
 * and the signature is HMAC-SHA256 over the payload part with
 * `incidents.ackLinks.secret`. A token is the same for every delivery of a
 * page (its expiry comes from the page's due time), so retries send one
 * link; single use is recorded in the database (see AckLinkService).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a token is bound to. */
export interface AckTokenClaims {
  pageId: string;
  userRef: string;
  expiresAt: Date;
}

/** Why a token was refused before any database look-up. */
export type AckTokenProblem = 'malformed' | 'bad-signature' | 'expired';

export class AckTokenError extends Error {
  constructor(readonly problem: AckTokenProblem, message: string) {
    super(message);
    this.name = 'AckTokenError';
  }
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function sign(secret: string, payload: string): Buffer {
  return createHmac('sha256', secret).update(payload).digest();
}

/** Signs a token for a page and its recipient. */
export function signAckToken(secret: string, claims: AckTokenClaims): string {
  const payload = b64(
    JSON.stringify({
      v: 1,
      p: claims.pageId,
      u: claims.userRef,
      e: Math.floor(claims.expiresAt.getTime() / 1000),
    }),
  );
  return `${payload}.${b64(sign(secret, payload))}`;
}

/**
 * Checks a token's shape, signature (constant time) and expiry; returns its
 * claims or throws an AckTokenError saying which check failed.
 */
export function verifyAckToken(
  secret: string,
  token: string,
  now: Date,
): AckTokenClaims {
  const parts = typeof token === 'string' ? token.split('.') : [];
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new AckTokenError('malformed', 'This acknowledge link is not valid');
  }
  const [payload, signature] = parts;
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new AckTokenError(
      'bad-signature',
      'This acknowledge link is not valid (its signature does not match)',
    );
  }
  let body: any;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw new AckTokenError('malformed', 'This acknowledge link is not valid');
  }
  if (
    body?.v !== 1 ||
    typeof body.p !== 'string' ||
    typeof body.u !== 'string' ||
    typeof body.e !== 'number'
  ) {
    throw new AckTokenError('malformed', 'This acknowledge link is not valid');
  }
  const expiresAt = new Date(body.e * 1000);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new AckTokenError(
      'expired',
      `This acknowledge link expired at ${expiresAt.toISOString()}`,
    );
  }
  return { pageId: body.p, userRef: body.u, expiresAt };
}

/** The id a used token is recorded under: a hash, not the token itself. */
export function ackTokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
