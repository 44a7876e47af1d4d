import { mockCredentials } from '@backstage/backend-test-utils';
import { XMLParser } from 'fast-xml-parser';
import { AddressInfo } from 'node:net';
import { Statuspage } from 'statuspage.io';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const CHECKOUT = 'component:default/checkout-web';

describe.each(databases.eachSupportedId())(
  'status page compatibility on %p',
  databaseId => {
    async function setup() {
      const knex = await databases.init(databaseId);
      const app = await createTestApp(knex, {
        statusPage: {
          name: 'Acme Status',
          components: [{ entityRef: CHECKOUT, name: 'Checkout' }],
        },
      });
      const opened = await request(app.server)
        .post('/incidents')
        .set('Authorization', mockCredentials.user.header('user:default/guest'))
        .send({
          title: 'Checkout down',
          severity: 'sev1',
          affectedServices: [CHECKOUT],
        });
      expect(opened.status).toBe(201);
      const server = app.app.listen(0, '127.0.0.1');
      await new Promise(resolve => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      return { app, server, base: `http://127.0.0.1:${port}/public` };
    }

    it('is read by a Statuspage client from the npm registry', async () => {
      const { server, base } = await setup();
      try {
        const client = new Statuspage('acme');
        client.setApiUrl(base);
        const summary = await client.api.getSummary();
        expect(summary.page.name).toBe('Acme Status');
        expect(summary.status).toEqual({
          indicator: 'critical',
          description: 'Major System Outage',
        });
        expect(summary.components.map(c => [c.name, c.status])).toEqual([
          ['Checkout', 'major_outage'],
        ]);
        expect(summary.incidents[0]).toMatchObject({
          name: 'Checkout down',
          status: 'investigating',
          impact: 'critical',
        });
        expect(summary.incidents[0].incident_updates[0].body).toBe(
          'We are investigating this issue.',
        );
        expect((await client.api.getStatus()).status.indicator).toBe(
          'critical',
        );
        expect((await client.api.getComponents()).components).toHaveLength(1);
        expect((await client.api.incidents.getAll()).incidents).toHaveLength(1);
        expect(
          (await client.api.incidents.getUnresolved()).incidents,
        ).toHaveLength(1);
        const maintenances = await client.api.scheduledMaintenances.getAll();
        expect(maintenances.scheduled_maintenances).toEqual([]);
        expect(
          (await client.api.scheduledMaintenances.getUpcoming())
            .scheduled_maintenances,
        ).toEqual([]);
      } finally {
        server.close();
      }
    });

    it('serves valid Atom and RSS feeds, an SVG badge and an accessible page', async () => {
      const { app } = await setup();
      const parser = new XMLParser({ ignoreAttributes: false });
      const atom = await request(app.app).get('/public/history.atom');
      expect(atom.headers['content-type']).toContain('application/atom+xml');
      const feed = parser.parse(atom.text).feed;
      expect(feed.title).toBe('Acme Status status history');
      expect(feed.entry.title['#text']).toBe('Checkout down');
      const rss = await request(app.app).get('/public/history.rss');
      const channel = parser.parse(rss.text).rss.channel;
      expect(channel.item.title).toBe('Checkout down');
      expect(channel.item.description).toContain(
        'We are investigating this issue.',
      );

      const badge = await request(app.app)
        .get('/public/badge.svg')
        .buffer(true);
      expect(badge.headers['content-type']).toContain('image/svg+xml');
      const svg = parser.parse(String(badge.body ?? badge.text)).svg;
      expect(JSON.stringify(svg)).toContain('Major System Outage');

      const page = await request(app.app).get('/public/status');
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain(
        "default-src 'none'",
      );
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('Major System Outage');
      expect(page.text).toContain('Checkout down');
      expect(page.text).not.toMatch(
        /<script|https?:\/\/(?!127\.0\.0\.1|localhost)/,
      );
    });
  },
);
