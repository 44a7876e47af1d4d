import { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import { timingSafeEqual } from 'node:crypto';
import { ApiRouter, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { AlertService } from './AlertService';
import {
  parseAlertmanager,
  parseEventsV2,
  parseGenericAlerts,
} from './parsers';

function sameSecret(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Alert intake (generic, Alertmanager, PagerDuty Events API v2) and the
 * alert list. Senders authenticate as Backstage external callers; the
 * Events API v2 endpoint, whose senders send no credentials, checks the
 * routing key instead.
 */
export function registerAlertRoutes(
  router: ApiRouter,
  options: { service: AlertService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  const sender = async (req: Parameters<HttpAuthService['credentials']>[0]) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
    await service.authorizeSender(credentials);
    return credentials.principal.subject;
  };

  router.post('/alerts', async (req, res) => {
    const subject = await sender(req);
    const alerts = parseGenericAlerts(req.body);
    res.status(202).json(await service.intake(alerts, subject));
  });

  router.post('/alerts/alertmanager', async (req, res) => {
    const subject = await sender(req);
    const { alerts } = parseAlertmanager(req.body, {
      sender: subject,
      defaultSeverity: service.config.defaultSeverity,
      tagLabels: service.config.tagLabels,
    });
    // Only the statuses in the message count: alerts left out
    // (truncatedAlerts) or absent are never taken as resolved.
    res
      .status(202)
      .json(await service.intake(alerts, `alertmanager:${subject}`));
  });

  router.post('/alerts/events-v2', async (req, res) => {
    const routingKey = (req.body as { routing_key?: unknown })?.routing_key;
    const match = service.config.eventsV2RoutingKeys.find(
      k => typeof routingKey === 'string' && sameSecret(k.key, routingKey),
    );
    if (!match) {
      throw new AuthenticationError('Unknown routing_key');
    }
    const event = parseEventsV2(req.body, { sender: match.id });
    const actor = `events-v2:${match.id}`;
    if (event.alert.action === 'acknowledge') {
      const taken = await service.acknowledge(event.alert, actor);
      res.status(202).json({
        status: 'success',
        message: taken ? 'Event processed' : 'No firing alert; ignored',
        dedup_key: event.dedupKey,
      });
      return;
    }
    await service.intake([event.alert], actor);
    res.status(202).json({
      status: 'success',
      message: 'Event processed',
      dedup_key: event.dedupKey,
    });
  });

  router.get('/alerts', async (req, res) => {
    const q = req.query;
    const result = await service.list(
      {
        status: q.status,
        entityRef: q.entityRef
          ? normalizeEntityRef(q.entityRef, 'component', 'entityRef')
          : undefined,
        incidentId: q.incidentId,
        unmapped: q.unmapped === 'true',
        limit: q.limit ?? 50,
        cursor: q.cursor,
      },
      await userOrService(httpAuth, req),
    );
    res.json(result);
  });
}
