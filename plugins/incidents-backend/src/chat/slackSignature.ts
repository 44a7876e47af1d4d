import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: a request older (or newer) than this is refused. */
export const SLACK_MAX_SKEW_SECONDS = 300;

/** Why a Slack request's signature was refused. */
export type SlackSignatureProblem = 'missing' | 'stale' | 'mismatch';

/**
 * `v0=` + hex HMAC-SHA256 over `v0:<timestamp>:<raw body>` with the app's
 * signing secret, as Slack computes it.
 */
export function slackSignature(
  signingSecret: string,
  timestamp: string,
  rawBody: string,
): string {
  return `v0=${createHmac('sha256', signingSecret)
    .update(`v0:${timestamp}:${rawBody}`)
    .digest('hex')}`;
}

/**
 * Checks `x-slack-signature` against the raw body and
 * `x-slack-request-timestamp` (within 5 minutes of `now`), comparing in
 * constant time. Returns undefined when valid, else the problem.
 */
export function checkSlackSignature(options: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
}): SlackSignatureProblem | undefined {
  const { signingSecret, timestamp, signature, rawBody, now } = options;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) {
    return 'missing';
  }
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  if (skew > SLACK_MAX_SKEW_SECONDS) return 'stale';
  const expected = Buffer.from(
    slackSignature(signingSecret, timestamp, rawBody),
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected)
    ? undefined
    : 'mismatch';
}
