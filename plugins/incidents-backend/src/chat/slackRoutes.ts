import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import { checkSlackSignature, SlackSignatureProblem } from './slackSignature';
import { SlackInteractions } from './SlackInteractions';

const SIGNATURE_PROBLEMS: Record<SlackSignatureProblem, string> = {
  missing: 'x-slack-signature and x-slack-request-timestamp are required',
  stale: 'x-slack-request-timestamp is outside the 5 minute window',
  mismatch: 'x-slack-signature does not match',
};

/**
 * `POST /chat/slack/interactions`, Slack's interactivity request URL. It
 * carries no Backstage credentials (the plugin allows it unauthenticated):
 * the raw body must be signed with the Slack app's signing secret, within
 * the replay window. Mounted before the JSON parser, which would lose the
 * raw body the signature covers. Not in openapi.yaml: Slack posts
 * application/x-www-form-urlencoded, which the spec-validated router (JSON
 * bodies only) cannot take; the README documents it.
 */
export function createSlackRouter(options: {
  signingSecret?: string;
  interactions: SlackInteractions;
  logger: LoggerService;
  now?: () => Date;
}): express.Router {
  const router = express.Router();
  router.post(
    '/chat/slack/interactions',
    express.text({ type: () => true, limit: '100kb' }),
    async (req, res, next) => {
      try {
        const { signingSecret } = options;
        if (!signingSecret) {
          res.status(404).json({
            error: {
              name: 'NotFoundError',
              message: 'Slack interactivity is not configured',
            },
          });
          return;
        }
        const rawBody = typeof req.body === 'string' ? req.body : '';
        const problem = checkSlackSignature({
          signingSecret,
          timestamp: req.header('x-slack-request-timestamp'),
          signature: req.header('x-slack-signature'),
          rawBody,
          now: options.now?.() ?? new Date(),
        });
        if (problem) {
          options.logger.warn(`Refused a Slack request: signature ${problem}`);
          res.status(401).json({
            error: {
              name: 'AuthenticationError',
              message: SIGNATURE_PROBLEMS[problem],
            },
          });
          return;
        }
        let payload: unknown;
        try {
          payload = JSON.parse(
            new URLSearchParams(rawBody).get('payload') ?? '',
          );
        } catch {
          res.status(400).json({
            error: { name: 'InputError', message: 'payload: not JSON' },
          });
          return;
        }
        res.json(await options.interactions.handle(payload));
      } catch (e) {
        next(e);
      }
    },
  );
  return router;
}
