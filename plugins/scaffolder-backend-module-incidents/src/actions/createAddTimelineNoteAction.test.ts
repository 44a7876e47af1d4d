import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startIncidentsServer } from '../__testUtils__/incidentsServer';
import { createAddTimelineNoteAction } from './createAddTimelineNoteAction';

describe('incidents:timeline:add', () => {
  function actionFor(url: string) {
    return createAddTimelineNoteAction({
      discovery: mockServices.discovery.mock({ getBaseUrl: async () => url }),
      auth: mockServices.auth(),
    });
  }

  it("posts the note with its links to the incident's timeline", async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: {
        id: 'entry-1',
        incidentId: 'abc',
        kind: 'note',
        actor: 'user:default/mock',
        message: 'Rolled back',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    }));
    try {
      const ctx = createMockActionContext({
        input: {
          incident: 'INC-7',
          message: 'Rolled back to 1.4.2',
          links: [{ url: 'https://ci.example.com/runs/42', title: 'Rollback' }],
        },
      });
      await actionFor(srv.url).handler(ctx);

      expect(srv.received).toHaveLength(1);
      const { method, path, headers, body } = srv.received[0];
      expect(method).toBe('POST');
      expect(path).toBe('/incidents/INC-7/timeline');
      expect(headers.authorization).toBe(
        mockCredentials.service.header({
          onBehalfOf: await ctx.getInitiatorCredentials(),
          targetPluginId: 'incidents',
        }),
      );
      expect(body).toEqual({
        message: 'Rolled back to 1.4.2',
        links: [{ url: 'https://ci.example.com/runs/42', title: 'Rollback' }],
      });
      expect(ctx.output).toHaveBeenCalledWith('entryId', 'entry-1');
    } finally {
      await srv.close();
    }
  });

  it('sends only the message when there are no links, and escapes the id', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: { id: 'entry-2' },
    }));
    try {
      await actionFor(srv.url).handler(
        createMockActionContext({
          input: { incident: 'a/b?c', message: 'Rolled back' },
        }),
      );
      expect(srv.received[0].path).toBe('/incidents/a%2Fb%3Fc/timeline');
      expect(srv.received[0].body).toEqual({ message: 'Rolled back' });
    } finally {
      await srv.close();
    }
  });

  it("fails the step with the backend's message when the API refuses", async () => {
    const srv = await startIncidentsServer(() => ({
      status: 404,
      body: {
        error: { name: 'NotFoundError', message: 'No incident INC-99' },
        request: { method: 'POST', url: '/incidents/INC-99/timeline' },
        response: { statusCode: 404 },
      },
    }));
    try {
      const ctx = createMockActionContext({
        input: { incident: 'INC-99', message: 'Rolled back' },
      });
      await expect(actionFor(srv.url).handler(ctx)).rejects.toThrow(
        'Vigil could not add the note to INC-99 (HTTP 404): No incident INC-99',
      );
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      await srv.close();
    }
  });

  it('does not write the note again when a resumed task already did', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: { id: 'entry-new' },
    }));
    try {
      const ctx = createMockActionContext({
        input: { incident: 'INC-7', message: 'Rolled back' },
      });
      // the checkpoint the task saved before the restart
      ctx.checkpoint = jest.fn(async () => ({ id: 'entry-1' })) as any;
      await actionFor(srv.url).handler(ctx);
      expect(srv.received).toHaveLength(0);
      expect(ctx.output).toHaveBeenCalledWith('entryId', 'entry-1');
    } finally {
      await srv.close();
    }
  });
});
