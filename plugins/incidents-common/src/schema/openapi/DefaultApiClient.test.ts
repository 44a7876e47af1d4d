import { DefaultApiClient } from './generated';

function setup(status = 200, body: unknown = {}) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
  );
  const getBaseUrl = jest.fn(async (id: string) => `http://backend/api/${id}`);
  const client = new DefaultApiClient({
    discoveryApi: { getBaseUrl },
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  return { client, fetch, getBaseUrl };
}

describe('DefaultApiClient (generated)', () => {
  it("asks discovery for the plugin's base URL", async () => {
    const { client, fetch, getBaseUrl } = setup();
    await client.getHealth();
    expect(getBaseUrl).toHaveBeenCalledWith('incidents');
    expect(fetch).toHaveBeenCalledWith('http://backend/api/incidents/health', {
      method: 'GET',
    });
  });

  it('repeats array query parameters, in the order of the spec', async () => {
    const { client, fetch } = setup();
    await client.listIncidents({
      query: {
        limit: 25,
        owner: ['group:default/sre', 'group:default/payments'],
        status: ['open', 'investigating'],
        q: 'checkout',
        cursor: undefined,
      },
    });
    const url = new URL(fetch.mock.calls[0][0]);
    expect(url.pathname).toBe('/api/incidents/incidents');
    expect(url.search).toBe(
      '?status=open&status=investigating' +
        '&owner=group%3Adefault%2Fsre&owner=group%3Adefault%2Fpayments' +
        '&q=checkout&limit=25',
    );
  });

  it('keeps zero and false, and leaves out a query that is all unset', async () => {
    const { client, fetch } = setup();
    await client.listActionItems({ query: { done: false, limit: 0 } });
    await client.listPostmortems({ query: { status: [], offset: undefined } });
    await client.listPostmortems();
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend/api/incidents/action-items?done=false&limit=0',
      'http://backend/api/incidents/postmortems',
      'http://backend/api/incidents/postmortems',
    ]);
  });

  it('encodes path parameters', async () => {
    const { client, fetch } = setup();
    await client.updateActionItem({
      path: { id: 'INC-7', itemId: 'item 1/2' },
      body: { done: true },
    });
    await client.listScheduleSlots({
      path: { scheduleId: 'sre/eu' },
      query: { from: '2026-11-22T00:00:00.000Z' },
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      'http://backend/api/incidents/incidents/INC-7/action-items/item%201%2F2',
      'http://backend/api/incidents/schedules/sre%2Feu/slots?from=2026-11-22T00%3A00%3A00.000Z',
    ]);
  });

  it('sends the body as JSON with the method of the operation', async () => {
    const { client, fetch } = setup(201);
    await client.addTimelineNote({
      path: { id: 'INC-1' },
      body: { message: 'rolled back', links: [{ url: 'https://ci/42' }] },
    });
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://backend/api/incidents/incidents/INC-1/timeline');
    expect(init).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        message: 'rolled back',
        links: [{ url: 'https://ci/42' }],
      }),
    });
  });

  it('sends no body where the operation takes none, and one where it is optional', async () => {
    const { client, fetch } = setup();
    await client.startPostmortem({ path: { id: 'INC-1' } });
    await client.regenerateSchedule({ path: { scheduleId: 'sre' } });
    await client.regenerateSchedule({
      path: { scheduleId: 'sre' },
      body: { from: '2026-12-01T00:00:00.000Z' },
    });
    expect(fetch.mock.calls.map(([, init]) => init)).toEqual([
      { method: 'POST' },
      { method: 'POST' },
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"from":"2026-12-01T00:00:00.000Z"}',
      },
    ]);
  });

  it('sends a token as a bearer authorization', async () => {
    const { client, fetch } = setup();
    await client.listMyOpenPages({}, { token: 'abc' });
    await client.mergeIncident(
      { path: { id: 'INC-2' }, body: { into: 'INC-1' } },
      { token: 'abc' },
    );
    expect(fetch.mock.calls.map(([, init]) => init?.headers)).toEqual([
      { Authorization: 'Bearer abc' },
      { 'Content-Type': 'application/json', Authorization: 'Bearer abc' },
    ]);
  });

  it('answers with the response as it came, also when it is an error', async () => {
    const { client } = setup(409, { error: { name: 'ConflictError' } });
    const res = await client.moveIncident({
      path: { id: 'INC-1' },
      body: { status: 'resolved' },
    });
    expect(res.status).toBe(409);
    await expect(res.json()).resolves.toEqual({
      error: { name: 'ConflictError' },
    });
  });

  it('uses the global fetch when given no fetch API', async () => {
    const global = jest
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(new Response('{"items":[]}'));
    try {
      const client = new DefaultApiClient({
        discoveryApi: { getBaseUrl: async () => 'http://backend' },
      });
      const res = await client.listSchedules();
      await expect(res.json()).resolves.toEqual({ items: [] });
      expect(global).toHaveBeenCalledWith('http://backend/schedules', {
        method: 'GET',
      });
    } finally {
      global.mockRestore();
    }
  });
});
