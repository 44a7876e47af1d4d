import { ResponseError } from '@backstage/errors';
import { IncidentsClient } from './IncidentsClient';

function setup(responses: Array<{ status: number; body: unknown }> = []) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) => {
    const next = responses.shift() ?? { status: 200, body: {} };
    return new Response(JSON.stringify(next.body), {
      status: next.status,
      statusText: next.status === 409 ? 'Conflict' : 'OK',
      headers: { 'Content-Type': 'application/json' },
    });
  });
  const client = new IncidentsClient({
    discoveryApi: { getBaseUrl: async () => 'http://backend/api/incidents' },
    fetchApi: { fetch: fetch as any },
  });
  return { client, fetch };
}

describe('IncidentsClient', () => {
  it('repeats array query parameters and skips empty ones', async () => {
    const { client, fetch } = setup([
      { status: 200, body: { items: [], totalCount: 0 } },
    ]);

    await client.listIncidents({
      status: ['open', 'investigating'],
      severity: ['sev1'],
      owner: ['group:default/sre', 'group:default/payments'],
      entityRef: 'component:default/payments-api',
      q: '  checkout ',
      sort: 'severity',
      order: 'asc',
      limit: 25,
      cursor: undefined,
    });

    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/incidents/incidents');
    expect(url.searchParams.getAll('status')).toEqual([
      'open',
      'investigating',
    ]);
    expect(url.searchParams.getAll('owner')).toEqual([
      'group:default/sre',
      'group:default/payments',
    ]);
    expect(url.search).toBe(
      '?status=open&status=investigating&severity=sev1' +
        '&entityRef=component%3Adefault%2Fpayments-api' +
        '&owner=group%3Adefault%2Fsre&owner=group%3Adefault%2Fpayments' +
        '&q=checkout&sort=severity&order=asc&limit=25',
    );
  });

  it('lists without a query string when there are no filters', async () => {
    const { client, fetch } = setup([
      { status: 200, body: { items: [], totalCount: 0 } },
    ]);
    await client.listIncidents({ status: [], q: '' });
    expect(fetch.mock.calls[0][0]).toBe(
      'http://backend/api/incidents/incidents',
    );
  });

  it('sends JSON bodies with a content type', async () => {
    const { client, fetch } = setup([{ status: 200, body: { id: '1' } }]);
    await client.moveIncident('INC-7', 'investigating', 'on it');

    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/incidents/incidents/INC-7/status');
    expect(init).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(JSON.parse(init!.body as string)).toEqual({
      status: 'investigating',
      message: 'on it',
    });
  });

  it.each([
    ['openIncident', [{ title: 't', severity: 'sev2' }], 'POST', '/incidents'],
    ['getIncident', ['INC-1'], 'GET', '/incidents/INC-1'],
    ['updateIncident', ['a', { title: 'x' }], 'PATCH', '/incidents/a'],
    ['addNote', ['a', { message: 'm' }], 'POST', '/incidents/a/timeline'],
    ['mergeIncident', ['a', 'INC-2'], 'POST', '/incidents/a/merge'],
    [
      'addStatusUpdate',
      ['a', { message: 'm', visibility: 'external' }],
      'POST',
      '/incidents/a/status-updates',
    ],
    [
      'addEvidence',
      ['a', { url: 'https://x' }],
      'POST',
      '/incidents/a/evidence',
    ],
    [
      'addActionItem',
      ['a', { title: 't' }],
      'POST',
      '/incidents/a/action-items',
    ],
    [
      'updateActionItem',
      ['a', 'item 1', { done: true }],
      'PATCH',
      '/incidents/a/action-items/item%201',
    ],
  ])('%s calls %s %s', async (method, args, httpMethod, path) => {
    const { client, fetch } = setup();
    await (client as any)[method](...args);
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe(`http://backend/api/incidents${path}`);
    expect(init!.method).toBe(httpMethod);
  });

  it('unwraps the timeline items', async () => {
    const { client } = setup([
      { status: 200, body: { items: [{ id: 'e1' }] } },
    ]);
    await expect(client.getTimeline('INC-1')).resolves.toEqual([{ id: 'e1' }]);
  });

  it('throws a ResponseError carrying the server message', async () => {
    const { client } = setup([
      {
        status: 409,
        body: {
          error: {
            name: 'ConflictError',
            message: "allowed moves from 'mitigated': resolved",
          },
          response: { statusCode: 409 },
        },
      },
    ]);
    const error = await client
      .moveIncident('INC-1', 'investigating')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.cause.message).toMatch(/allowed moves/);
  });
  describe('on-call', () => {
    it('gets who is on call, optionally for one entity', async () => {
      const items = [{ schedule: { id: 'sre', name: 'SRE' }, user: 'u' }];
      const { client, fetch } = setup([
        { status: 200, body: { items } },
        { status: 200, body: { items } },
      ]);

      await expect(client.getOncallNow()).resolves.toEqual({ items });
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/oncall',
      );

      await client.getOncallNow({
        entityRef: 'component:default/payments-api',
      });
      const url = new URL(fetch.mock.calls[1][0]);
      expect(url.pathname).toBe('/api/incidents/oncall');
      expect(url.searchParams.get('entityRef')).toBe(
        'component:default/payments-api',
      );
      expect(fetch.mock.calls[1][1]).toEqual({ method: 'GET' });
    });

    it('lists schedules', async () => {
      const { client, fetch } = setup([
        { status: 200, body: { items: [{ id: 'sre' }] } },
      ]);
      await expect(client.listSchedules()).resolves.toEqual({
        items: [{ id: 'sre' }],
      });
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/schedules',
      );
    });

    it('lists slots of a schedule with an optional range', async () => {
      const { client, fetch } = setup([
        { status: 200, body: { items: [] } },
        { status: 200, body: { items: [] } },
      ]);
      await client.listScheduleSlots('sre team');
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/schedules/sre%20team/slots',
      );

      await client.listScheduleSlots('sre', {
        from: '2026-11-22T00:00:00.000Z',
        to: '2026-12-06T00:00:00.000Z',
      });
      const url = new URL(fetch.mock.calls[1][0]);
      expect(url.pathname).toBe('/api/incidents/schedules/sre/slots');
      expect(url.searchParams.get('from')).toBe('2026-11-22T00:00:00.000Z');
      expect(url.searchParams.get('to')).toBe('2026-12-06T00:00:00.000Z');
    });

    it('turns a calendar link into its https and webcal:// forms', async () => {
      const { client, fetch } = setup([
        { status: 200, body: { path: '/oncall/feeds/abc', scheduleId: 'sre' } },
      ]);
      await expect(client.getCalendarSubscription('sre')).resolves.toEqual({
        url: 'http://backend/api/incidents/oncall/feeds/abc',
        webcal: 'webcal://backend/api/incidents/oncall/feeds/abc',
      });
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/oncall/calendar-links',
      );
      expect(JSON.parse(fetch.mock.calls[0][1]!.body as string)).toEqual({
        scheduleId: 'sre',
      });
    });

    it('builds absolute calendar URLs without fetching', async () => {
      const { client, fetch } = setup();
      await expect(client.getCalendarUrl('sre/eu')).resolves.toBe(
        'http://backend/api/incidents/schedules/sre%2Feu/calendar.ics',
      );
      await expect(client.getMyShiftsUrl()).resolves.toBe(
        'http://backend/api/incidents/oncall/my-shifts.ics',
      );
      expect(fetch).not.toHaveBeenCalled();
    });

    it('throws a ResponseError when a schedule is unknown', async () => {
      const { client } = setup([
        {
          status: 404,
          body: { error: { name: 'NotFoundError', message: 'No schedule' } },
        },
      ]);
      await expect(client.listScheduleSlots('nope')).rejects.toBeInstanceOf(
        ResponseError,
      );
    });
  });

  describe('escalation and schedule changes', () => {
    it('posts an override and a hand-off to the schedule', async () => {
      const { client, fetch } = setup([
        { status: 201, body: { id: 'o1' } },
        { status: 201, body: { id: 'h1' } },
      ]);
      await expect(
        client.addScheduleOverride('payments primary', {
          userRef: 'user:default/dave',
          start: '2026-11-23T08:00:00.000Z',
          end: '2026-11-23T20:00:00.000Z',
          reason: 'swap',
        }),
      ).resolves.toEqual({ id: 'o1' });
      const [url, init] = fetch.mock.calls[0];
      expect(url).toBe(
        'http://backend/api/incidents/schedules/payments%20primary/overrides',
      );
      expect(init?.method).toBe('POST');
      expect(JSON.parse(init!.body as string)).toEqual({
        userRef: 'user:default/dave',
        start: '2026-11-23T08:00:00.000Z',
        end: '2026-11-23T20:00:00.000Z',
        reason: 'swap',
      });

      await client.handoffSchedule('sre', { userRef: 'user:default/bob' });
      const [handoffUrl, handoffInit] = fetch.mock.calls[1];
      expect(handoffUrl).toBe(
        'http://backend/api/incidents/schedules/sre/handoff',
      );
      expect(handoffInit?.method).toBe('POST');
      expect(JSON.parse(handoffInit!.body as string)).toEqual({
        userRef: 'user:default/bob',
      });
    });

    it('throws the 403 of a schedule change as a ResponseError', async () => {
      const { client } = setup([
        {
          status: 403,
          body: {
            error: { name: 'NotAllowedError', message: 'Not an admin' },
            response: { statusCode: 403 },
          },
        },
      ]);
      const error = await client
        .handoffSchedule('sre', { userRef: 'user:default/bob' })
        .catch(e => e);
      expect(error).toBeInstanceOf(ResponseError);
      expect(error.statusCode).toBe(403);
      expect(error.cause.message).toBe('Not an admin');
    });

    it('lists escalation policies, optionally for a component', async () => {
      const body = { items: [], pagingSeverities: ['sev1'] };
      const { client, fetch } = setup([
        { status: 200, body },
        { status: 200, body },
      ]);
      await expect(client.listEscalationPolicies()).resolves.toEqual(body);
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/escalation-policies',
      );
      await client.listEscalationPolicies({
        entityRef: 'component:default/payments-api',
      });
      const url = new URL(fetch.mock.calls[1][0]);
      expect(url.pathname).toBe('/api/incidents/escalation-policies');
      expect(url.searchParams.get('entityRef')).toBe(
        'component:default/payments-api',
      );
    });

    it("reads an incident's escalations and my open pages", async () => {
      const { client, fetch } = setup([
        { status: 200, body: { items: [{ id: 'e1' }] } },
        { status: 200, body: { items: [{ pageId: 'p1' }] } },
      ]);
      await expect(client.listIncidentEscalations('INC-3')).resolves.toEqual({
        items: [{ id: 'e1' }],
      });
      expect(fetch.mock.calls[0][0]).toBe(
        'http://backend/api/incidents/incidents/INC-3/escalations',
      );
      await expect(client.listMyOpenPages()).resolves.toEqual({
        items: [{ pageId: 'p1' }],
      });
      expect(fetch.mock.calls[1][0]).toBe(
        'http://backend/api/incidents/pages/mine',
      );
    });
  });

  describe('alerts', () => {
    it('lists alerts with filters and a cursor, answering the page', async () => {
      const page = {
        items: [{ id: 'a1', status: 'firing' }],
        nextCursor: 'WzE3MDAwMDAwMDAwMDAsImExIl0',
      };
      const { client, fetch } = setup([{ status: 200, body: page }]);

      await expect(
        client.listAlerts({
          status: 'firing',
          entityRef: 'component:default/payments-api',
          incidentId: 'INC-7',
          limit: 25,
          cursor: 'abc',
        }),
      ).resolves.toEqual(page);

      const url = new URL(fetch.mock.calls[0][0]);
      expect(url.pathname).toBe('/api/incidents/alerts');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        status: 'firing',
        entityRef: 'component:default/payments-api',
        incidentId: 'INC-7',
        limit: '25',
        cursor: 'abc',
      });
      expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'GET' });
    });

    it('sends unmapped only when asked, and no query without filters', async () => {
      const { client, fetch } = setup([
        { status: 200, body: { items: [] } },
        { status: 200, body: { items: [] } },
        { status: 200, body: { items: [] } },
      ]);
      await client.listAlerts();
      await client.listAlerts({ unmapped: false });
      await client.listAlerts({ unmapped: true });
      expect(fetch.mock.calls.map(([url]) => url)).toEqual([
        'http://backend/api/incidents/alerts',
        'http://backend/api/incidents/alerts',
        'http://backend/api/incidents/alerts?unmapped=true',
      ]);
    });

    it('turns an error answer into a ResponseError', async () => {
      const { client } = setup([
        {
          status: 400,
          body: {
            error: { name: 'InputError', message: 'cursor is not a cursor' },
            response: { statusCode: 400 },
          },
        },
      ]);
      await expect(client.listAlerts({ cursor: 'x' })).rejects.toBeInstanceOf(
        ResponseError,
      );
    });
  });

  it('reads runbooks and the blast radius, and notifies owners', async () => {
    const { client, fetch } = setup([
      { status: 200, body: { runbooks: [], automations: [] } },
      { status: 200, body: { runbooks: [], automations: [] } },
      { status: 200, body: { dependents: [] } },
      { status: 200, body: { notified: [] } },
    ]);
    await client.getIncidentRunbooks('INC-7');
    await client.getEntityRunbooks('component:default/payments-api');
    await client.getIncidentBlastRadius('INC-7');
    await client.notifyBlastRadiusOwners('INC-7');
    expect(
      fetch.mock.calls.map(([url, init]) => `${init?.method} ${url}`),
    ).toEqual([
      'GET http://backend/api/incidents/incidents/INC-7/runbooks',
      'GET http://backend/api/incidents/runbooks?entityRef=component%3Adefault%2Fpayments-api',
      'GET http://backend/api/incidents/incidents/INC-7/blast-radius',
      'POST http://backend/api/incidents/incidents/INC-7/blast-radius/notify',
    ]);
  });
});
