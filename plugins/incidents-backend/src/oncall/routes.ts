import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter, userOnly, userOrService } from '../lib/http';
import { normalizeEntityRef } from '../lib/identity';
import { OncallService } from './OncallService';
import { ImportService } from './ImportService';
import { SwapService } from './SwapService';

/** The on-call endpoints: who is on call, schedules, slots, calendars. */
export function registerOncallRoutes(
  router: ApiRouter,
  options: {
    service: OncallService;
    swaps: SwapService;
    imports: ImportService;
    httpAuth: HttpAuthService;
  },
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

  router.post('/oncall/calendar-links', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json(
      await service.calendarLink(
        credentials.principal.userEntityRef,
        req.body?.scheduleId,
      ),
    );
  });

  // Public: the secret token is the credential (calendar apps can't sign in).
  router.get('/oncall/feeds/:token', async (req, res) => {
    const body = await service.calendarFeed(req.params.token);
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
  registerSwaps(router, options);

  router.post('/schedules/:scheduleId/import', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json(
      await options.imports.importShifts(
        req.params.scheduleId,
        req.body,
        credentials,
      ),
    );
  });
}

/** Swap requests between members, and each schedule's audit list. */
function registerSwaps(
  router: ApiRouter,
  options: {
    service: OncallService;
    swaps: SwapService;
    httpAuth: HttpAuthService;
  },
) {
  const { service, swaps, httpAuth } = options;

  router.get('/schedules/:scheduleId/swaps', async (req, res) => {
    await service.authorizeRead(await userOrService(httpAuth, req));
    const items = await swaps.list(req.params.scheduleId, req.query.status);
    res.json({ items });
  });

  router.post('/schedules/:scheduleId/swaps', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res
      .status(201)
      .json(await swaps.propose(req.params.scheduleId, req.body, credentials));
  });

  for (const decision of ['accept', 'decline', 'cancel'] as const) {
    router.post(
      `/schedules/:scheduleId/swaps/:swapId/${decision}`,
      async (req, res) => {
        const credentials = await userOnly(httpAuth, req);
        res.json(
          await swaps.decide(
            req.params.scheduleId,
            req.params.swapId,
            decision,
            credentials,
          ),
        );
      },
    );
  }

  router.get('/oncall/swaps/mine', async (req, res) => {
    const credentials = await userOnly(httpAuth, req);
    res.json({ items: await swaps.mine(credentials.principal.userEntityRef) });
  });

  router.get('/schedules/:scheduleId/timeline', async (req, res) => {
    await service.authorizeRead(await userOrService(httpAuth, req));
    res.json({ items: await swaps.timeline(req.params.scheduleId) });
  });
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
