import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createOpenIncidentAction } from './createOpenIncidentAction';

// A real HTTP server stands in for the incidents backend's POST /incidents.
function startIncidentsServer(
  respond: (body: any) => { status: number; body: unknown },
) {
  const received: Array<{ headers: IncomingMessage['headers']; body: any }> =
    [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', chunk => (data += chunk));
    req.on('end', () => {
      const body = JSON.parse(data);
      received.push({ headers: req.headers, body });
      const answer = respond(body);
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  return new Promise<{ url: string; received: typeof received; close(): void }>(
    resolve =>
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        resolve({
          url: `http://127.0.0.1:${port}/api/incidents`,
          received,
          close: () => server.close(),
        });
      }),
  );
}

describe('incidents:create', () => {
  it('opens an incident linked to the task and outputs its reference', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 201,
      body: { id: 'abc', ref: 'INC-7' },
    }));
    try {
      const action = createOpenIncidentAction({
        discovery: { getBaseUrl: async () => srv.url } as any,
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      const ctx = createMockActionContext({
        input: {
          title: 'Deploy of payments-api failed',
          severity: 'P2',
          entityRef: 'component:default/payments-api',
        },
      });
      await action.handler(ctx);

      expect(srv.received).toHaveLength(1);
      const { body, headers } = srv.received[0];
      expect(headers.authorization).toMatch(/^Bearer .+/);
      expect(body).toMatchObject({
        title: 'Deploy of payments-api failed',
        severity: 'P2',
        affectedServices: ['component:default/payments-api'],
        change: {
          url: expect.stringMatching(
            /^http:\/\/portal\.example\/create\/tasks\//,
          ),
          source: 'scaffolder',
        },
      });
      expect(body.dedupKey).toMatch(/^scaffolder:/);
      expect(ctx.output).toHaveBeenCalledWith('ref', 'INC-7');
      expect(ctx.output).toHaveBeenCalledWith(
        'url',
        'http://portal.example/incidents/INC-7',
      );
    } finally {
      srv.close();
    }
  });

  it('fails the step when the backend refuses', async () => {
    const srv = await startIncidentsServer(() => ({
      status: 400,
      body: { error: { name: 'InputError', message: 'unknown entity' } },
    }));
    try {
      const action = createOpenIncidentAction({
        discovery: { getBaseUrl: async () => srv.url } as any,
        auth: mockServices.auth(),
        appBaseUrl: 'http://portal.example',
      });
      const ctx = createMockActionContext({
        input: { title: 'x', severity: 'sev1' },
      });
      await expect(action.handler(ctx)).rejects.toThrow(/unknown entity/);
      expect(ctx.output).not.toHaveBeenCalled();
    } finally {
      srv.close();
    }
  });
});
