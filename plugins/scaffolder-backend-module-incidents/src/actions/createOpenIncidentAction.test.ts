import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startIncidentsServer } from '../__testUtils__/incidentsServer';
import { createOpenIncidentAction } from './createOpenIncidentAction';

describe('incidents:create', () => {
  it('opens an incident linked to the task and outputs its reference', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: { id: 'abc', ref: 'INC-7' },
    }));
    try {
      const action = createOpenIncidentAction({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => srv.url,
        }),
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      const ctx = createMockActionContext({
        input: {
          title: 'Deploy of payments-api failed',
          severity: 'P2',
          entityRef: 'component:default/payments-api',
        },
        task: { id: 'task-1' },
      });
      await action.handler(ctx);

      expect(srv.received).toHaveLength(1);
      const { method, path, body, headers } = srv.received[0];
      expect(method).toBe('POST');
      expect(path).toBe('/incidents');
      // as the user who started the task, so their permissions apply
      expect(headers.authorization).toBe(
        mockCredentials.service.header({
          onBehalfOf: await ctx.getInitiatorCredentials(),
          targetPluginId: 'incidents',
        }),
      );
      expect(body).toMatchObject({
        title: 'Deploy of payments-api failed',
        severity: 'sev2', // P2, sent as the canonical severity
        affectedServices: ['component:default/payments-api'],
        change: {
          url: 'http://portal.example/create/tasks/task-1',
          source: 'scaffolder',
        },
      });
      expect(body.dedupKey).toBe('scaffolder:task-1:mock-step-id');
      expect(ctx.output).toHaveBeenCalledWith('id', 'abc');
      expect(ctx.output).toHaveBeenCalledWith('ref', 'INC-7');
      expect(ctx.output).toHaveBeenCalledWith(
        'url',
        'http://portal.example/incidents/INC-7',
      );
    } finally {
      await srv.close();
    }
  });

  it('sends the same dedup key when a step is retried and outputs the incident already open', async () => {
    // like the backend: a known key answers 200 with the incident it opened
    const opened = new Map<string, { id: string; ref: string }>();
    const srv = await startIncidentsServer(req => {
      const known = opened.get(req.body.dedupKey);
      if (known) {
        return { status: 200, body: known };
      }
      const incident = { id: `id-${opened.size}`, ref: `INC-${opened.size}` };
      opened.set(req.body.dedupKey, incident);
      return { status: 201, body: incident };
    });
    try {
      const action = createOpenIncidentAction({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => srv.url,
        }),
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      const run = async (taskId: string) => {
        const ctx = createMockActionContext({
          input: { title: 'Deploy failed', severity: 'sev2' },
          task: { id: taskId },
        });
        await action.handler(ctx);
        return ctx;
      };
      const first = await run('task-1');
      const retried = await run('task-1');
      const other = await run('task-2');

      const keys = srv.received.map(r => r.body.dedupKey);
      expect(keys[0]).toBe(keys[1]);
      expect(keys[2]).not.toBe(keys[0]);
      expect(first.output).toHaveBeenCalledWith('ref', 'INC-0');
      expect(retried.output).toHaveBeenCalledWith('ref', 'INC-0');
      expect(other.output).toHaveBeenCalledWith('ref', 'INC-1');
    } finally {
      await srv.close();
    }
  });

  it('uses the change link and dedup key it is given', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: { id: 'abc', ref: 'INC-8' },
    }));
    try {
      const action = createOpenIncidentAction({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => srv.url,
        }),
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      await action.handler(
        createMockActionContext({
          input: {
            title: 'x',
            severity: 'sev3',
            changeUrl: 'https://ci.example.com/runs/42',
            dedupKey: 'deploy:payments-api:42',
          },
        }),
      );
      expect(srv.received[0].body.change.url).toBe(
        'https://ci.example.com/runs/42',
      );
      expect(srv.received[0].body.dedupKey).toBe('deploy:payments-api:42');
      expect(srv.received[0].body).not.toHaveProperty('affectedServices');
    } finally {
      await srv.close();
    }
  });

  it('fails the step when the backend refuses', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 400,
      // Backstage's error body, as the backend's error handler writes it
      body: {
        error: { name: 'InputError', message: 'unknown entity' },
        request: { method: 'POST', url: '/incidents' },
        response: { statusCode: 400 },
      },
    }));
    try {
      const action = createOpenIncidentAction({
        discovery: mockServices.discovery.mock({
          getBaseUrl: async () => srv.url,
        }),
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      const ctx = createMockActionContext({
        input: { title: 'x', severity: 'sev1' },
      });
      await expect(action.handler(ctx)).rejects.toThrow(
        'Vigil could not open the incident (HTTP 400): unknown entity',
      );
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      await srv.close();
    }
  });
});
