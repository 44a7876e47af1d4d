import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { OncallService } from './OncallService';

/** The on-call endpoints: who is on call, schedules, slots, calendars. */
export function registerOncallRoutes(
  router: ApiRouter,
  options: { service: OncallService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  router.get('/oncall', async (req, res) => {
    const credentials = await userOrService(httpAuth, req);
    const items = await service.whoIsOnCall({
      entityRef: req.query.entityRef
        ? normalizeEntityRef(req.query.entityRef, 'component', 'entityRef')
        : undefined,
      credentials,
    });
    res.json({ items });
  });

  router.get('/oncall/my-shifts.ics', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    const body = await service.myShiftsCalendar(
      credentials.principal.userEntityRef,
    );
    res.type('text/calendar').send(body);
  });

  router.get('/schedules', async (req, res) => {
    await service.authorizeRead(await userOrService(httpAuth, req));
    res.json({
      items: service.listSchedules().map(s => ({
        id: s.id,
        name: s.name,
        timeZone: s.timeZone,
        rotation: {
          type: s.type,
          handoffTime: s.handoffTime,
          ...(s.length ? { length: s.length } : {}),
        },
        members: s.members,
        active: s.active,
      })),
    });
  });

  router.get('/schedules/:scheduleId/slots', async (req, res) => {
    await service.authorizeRead(await userOrService(httpAuth, req));
    const items = await service.slots(
      req.params.scheduleId,
      req.query.from,
      req.query.to,
    );
    res.json({ items });
  });

  router.get('/schedules/:scheduleId/calendar.ics', async (req, res) => {
    await service.authorizeRead(await userOrService(httpAuth, req));
    const body = await service.scheduleCalendar(req.params.scheduleId);
    res.type('text/calendar').send(body);
  });
  registerScheduleChanges(router, options);
}

/** Overrides, hand-offs and regeneration: people with the manage permission. */
function registerScheduleChanges(
  router: ApiRouter,
  options: { service: OncallService; httpAuth: HttpAuthService },
) {
  const { service, httpAuth } = options;

  router.post('/schedules/:scheduleId/overrides', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    const slot = await service.addOverride(
      req.params.scheduleId,
      req.body,
      credentials,
    );
    res.status(201).json(slot);
  });

  router.post('/schedules/:scheduleId/handoff', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    const slot = await service.handoff(
      req.params.scheduleId,
      req.body,
      credentials,
    );
    res.status(201).json(slot);
  });

  router.post('/schedules/:scheduleId/regenerate', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    const generated = await service.regenerate(
      req.params.scheduleId,
      req.body?.from,
      credentials,
    );
    res.json({ generated });
  });
}
