import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { TestPipeline } from '@backstage/plugin-search-backend-node';
import { Postmortem } from '@vigil/plugin-incidents-common';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  markdownToText,
  PostmortemCollatorFactory,
} from './PostmortemCollatorFactory';

function postmortem(n: number): Postmortem {
  return {
    id: `pm-${n}`,
    incident: {
      id: `incident-${n}`,
      ref: `INC-${n}`,
      title: `Checkout down ${n}`,
      severity: 'sev1',
      status: 'postmortem',
      affectedServices: ['component:default/checkout-web'],
      openedAt: '2026-11-22T05:00:00.000Z',
      resolvedAt: '2026-11-22T07:00:00.000Z',
    },
    title: `Postmortem: INC-${n} Checkout down ${n}`,
    status: 'published',
    version: 4,
    revision: 1,
    body: `# Postmortem: INC-${n}\n\n## Root cause\n\nAn **expired** [certificate](https://example.com/c).\n\n| time | what |\n| --- | --- |\n| 05:00 | opened |\n`,
    createdBy: 'user:default/guest',
    createdAt: '2026-11-22T08:00:00.000Z',
    updatedBy: 'user:default/alice',
    updatedAt: '2026-11-23T08:00:00.000Z',
    publishedBy: 'user:default/alice',
    publishedAt: '2026-11-23T08:00:00.000Z',
  };
}

describe('PostmortemCollatorFactory', () => {
  let server: Server;
  let baseUrl: string;
  const requests: IncomingMessage[] = [];
  const published = [1, 2, 3, 4, 5].map(postmortem);

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req);
      const url = new URL(req.url!, 'http://localhost');
      if (url.pathname !== '/api/incidents/postmortems') {
        res.writeHead(404).end();
        return;
      }
      if (url.searchParams.get('status') !== 'published') {
        res.writeHead(400).end();
        return;
      }
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          items: published.slice(offset, offset + limit),
          totalCount: published.length,
        }),
      );
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise(resolve => server.close(resolve)));
  beforeEach(() => requests.splice(0));

  const factory = (batchSize?: number) =>
    PostmortemCollatorFactory.fromConfig(
      new ConfigReader({
        search: { collators: { incidentsPostmortems: { batchSize } } },
      }),
      {
        auth: mockServices.auth(),
        discovery: mockServices.discovery.mock({
          getBaseUrl: async (pluginId: string) => `${baseUrl}/api/${pluginId}`,
        }),
      },
    );

  it('indexes every published postmortem, page by page, as the plugin itself', async () => {
    const collator = await factory(2).getCollator();
    const { documents } = await TestPipeline.fromCollator(collator).execute();

    expect(documents.map(d => d.location)).toEqual([
      '/incidents/INC-1/postmortem',
      '/incidents/INC-2/postmortem',
      '/incidents/INC-3/postmortem',
      '/incidents/INC-4/postmortem',
      '/incidents/INC-5/postmortem',
    ]);
    expect(documents[0]).toEqual({
      title: 'Postmortem: INC-1 Checkout down 1',
      text: 'Postmortem: INC-1\nRoot cause\nAn expired certificate.\n time what \n 05:00 opened',
      location: '/incidents/INC-1/postmortem',
      authorization: { resourceRef: 'incident-1' },
      incidentRef: 'INC-1',
      incidentTitle: 'Checkout down 1',
      severity: 'sev1',
      services: ['component:default/checkout-web'],
      publishedAt: '2026-11-23T08:00:00.000Z',
      publishedBy: 'user:default/alice',
    });
    // Pages of 2: offsets 0, 2, 4 (a short page ends it).
    expect(
      requests.map(r => new URL(r.url!, baseUrl).searchParams.get('offset')),
    ).toEqual(['0', '2', '4']);
    expect(requests[0].headers.authorization).toMatch(/^Bearer .+/);
    expect(
      new URL(requests[0].url!, baseUrl).searchParams.get('includeBody'),
    ).toBe('true');
  });

  it('is typed as postmortems, visible to those who may read the incident', () => {
    const f = factory();
    expect(f.type).toBe('incidents-postmortem');
    expect(f.visibilityPermission.name).toBe('incidents.incident.read');
  });

  it('fails the run when the backend answers with an error', async () => {
    const broken = new PostmortemCollatorFactory({
      auth: mockServices.auth(),
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => `${baseUrl}/nowhere`,
      }),
    });
    const result = await TestPipeline.fromCollator(
      await broken.getCollator(),
    ).execute();
    expect(result.documents).toEqual([]);
    expect(String(result.error)).toMatch(/404 Not Found/);
  });

  it('turns Markdown into plain text', () => {
    expect(
      markdownToText('## Why\n\n- [x] _Fix_ `it`\n![img](a.png) see [docs](b)'),
    ).toBe('Why\nFix it\nimg see docs');
  });
});
