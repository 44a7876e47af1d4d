import { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuthenticationError, InputError } from '@backstage/errors';
import { timingSafeEqual } from 'node:crypto';
import { normalizeEntityRef } from '../service/identity';
import { ApiRouter } from '../service/types';
import { IncidentService } from '../incidents/IncidentService';
import { AlertService } from './AlertService';
import { DatabaseAlertStore } from './DatabaseAlertStore';
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
  options: {
    service: AlertService;
    store: DatabaseAlertStore;
    incidents: IncidentService;
    httpAuth: HttpAuthService;
  },
) {
  const { service, store, incidents, httpAuth } = options;

  const sender = async (req: Parameters<HttpAuthService['credentials']>[0]) => {
    const credentials = await httpAuth.credentials(req, { allow: ['service'] });
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
    await service.intake([event.alert], `events-v2:${match.id}`);
    res.status(202).json({
      status: 'success',
      message: 'Event processed',
      dedup_key: event.dedupKey,
    });
  });

  router.get('/alerts', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    // Alerts are part of incidents: whoever may view incidents may see them.
    await incidents.assertMayView(credentials);
    const limit = req.query.limit ?? 50;
    let before: { lastSeenAt: Date; id: string } | undefined;
    if (req.query.cursor) {
      try {
        const [t, id] = JSON.parse(
          Buffer.from(req.query.cursor, 'base64url').toString(),
        );
        before = { lastSeenAt: new Date(t), id: String(id) };
      } catch {
        throw new InputError('cursor is not a cursor this API returned');
      }
    }
    let incidentId: string | undefined;
    if (req.query.incidentId) {
      incidentId = (await incidents.get(req.query.incidentId, credentials)).id;
    }
    const items = await store.list({
      status: req.query.status,
      entityRef: req.query.entityRef
        ? normalizeEntityRef(req.query.entityRef, 'component', 'entityRef')
        : undefined,
      incidentId,
      unmapped: req.query.unmapped === 'true',
      limit: limit + 1,
      before,
    });
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    res.json({
      items: page,
      ...(items.length > limit && last
        ? {
            nextCursor: Buffer.from(
              JSON.stringify([last.lastSeenAt, last.id]),
            ).toString('base64url'),
          }
        : {}),
    });
  });
}
