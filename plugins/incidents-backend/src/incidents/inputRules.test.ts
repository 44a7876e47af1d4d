import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');

// What the fuzz run stored; links are rendered as hrefs.
const BAD_URLS = [
  // eslint-disable-next-line no-script-url
  'javascript:alert(1)',
  // eslint-disable-next-line no-script-url
  'JavaScript:alert(document.cookie)',
  'data:text/html,<script>alert(1)</script>',
  'ftp://example.com/x',
  'not a url',
];

describe.each(databases.eachSupportedId())(
  'incident input rules on %p',
  databaseId => {
    let knex: Knex;
    let server: Awaited<ReturnType<typeof createTestApp>>['server'];
    let ref: string;
    beforeEach(async () => {
      knex = await databases.init(databaseId);
      ({ server } = await createTestApp(knex));
      const opened = await send('post', '/incidents', {
        title: 'Checkout returns 500',
        severity: 'sev2',
      });
      if (opened.status !== 201) throw new Error(JSON.stringify(opened.body));
      ref = opened.body.ref;
    });

    function send(method: 'post' | 'patch', path: string, body: object) {
      return request(server)
        [method](path)
        .set('Authorization', GUEST)
        .send(body);
    }

    async function expect400(res: request.Response, message: string | RegExp) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }

    /** Rows in the tables a refused request could have written. */
    async function written() {
      const counts: Record<string, number> = {};
      for (const table of [
        'incident',
        'incident_timeline',
        'incident_evidence',
        'incident_action_item',
        'incident_status_update',
      ]) {
        counts[table] = Number((await knex(table).count({ n: '*' }))[0].n);
      }
      const [row] = await knex('incident').select('title', 'change_url');
      return { counts, row };
    }

    it.each(BAD_URLS)('stores only http(s) links, not %p', async url => {
      const before = await written();
      const item = `/incidents/${ref}/action-items`;
      await expect400(
        await send('post', '/incidents', {
          title: 't',
          severity: 'sev2',
          change: { url },
        }),
        'change.url: must be an http(s) URL',
      );
      await expect400(
        await send('patch', `/incidents/${ref}`, { change: { url } }),
        'change.url: must be an http(s) URL',
      );
      await expect400(
        await send('post', `/incidents/${ref}/evidence`, { url }),
        'url: must be an http(s) URL',
      );
      await expect400(
        await send('post', `/incidents/${ref}/timeline`, {
          message: 'see',
          links: [{ url: 'https://ok.example' }, { url }],
        }),
        'links[1].url: must be an http(s) URL',
      );
      await expect400(
        await send('post', item, { title: 'fix', link: url }),
        'link: must be an http(s) URL',
      );
      expect(await written()).toEqual(before);
    });

    it('accepts http and https links', async () => {
      const evidence = await send('post', `/incidents/${ref}/evidence`, {
        url: 'HTTPS://grafana.example/d/1',
      });
      expect(evidence.status).toBe(201);
      const changed = await send('patch', `/incidents/${ref}`, {
        change: { url: 'http://ci.example/deploys/42' },
      });
      expect(changed.status).toBe(200);
      expect(changed.body.change.url).toBe('http://ci.example/deploys/42');
    });

    it('refuses whitespace-only titles, notes and status updates', async () => {
      const before = await written();
      const blank = ' \t\n ';
      await expect400(
        await send('post', '/incidents', { title: blank, severity: 'sev1' }),
        'title: must not be blank',
      );
      await expect400(
        await send('patch', `/incidents/${ref}`, { title: blank }),
        'title: must not be blank',
      );
      await expect400(
        await send('post', `/incidents/${ref}/timeline`, { message: blank }),
        'message: must not be blank',
      );
      await expect400(
        await send('post', `/incidents/${ref}/status-updates`, {
          message: blank,
          visibility: 'internal',
        }),
        'message: must not be blank',
      );
      await expect400(
        await send('post', `/incidents/${ref}/action-items`, { title: blank }),
        'title: must not be blank',
      );
      expect(await written()).toEqual(before);
    });

    it.each(['2026-02-30', '0000-00-00', '2026-13-45', '2027-02-29'])(
      'refuses the impossible due date %p',
      async dueDate => {
        const added = await send('post', `/incidents/${ref}/action-items`, {
          title: 'Rotate certificates',
        });
        expect(added.status).toBe(201);
        const before = await written();
        await expect400(
          await send('post', `/incidents/${ref}/action-items`, {
            title: 'Add alerting',
            dueDate,
          }),
          `dueDate: '${dueDate}' is not a calendar date`,
        );
        await expect400(
          await send(
            'patch',
            `/incidents/${ref}/action-items/${added.body.id}`,
            { dueDate },
          ),
          `dueDate: '${dueDate}' is not a calendar date`,
        );
        expect(await written()).toEqual(before);
      },
    );

    it('takes real due dates and catalog users as owners only', async () => {
      const item = `/incidents/${ref}/action-items`;
      const ok = await send('post', item, {
        title: 'Rotate certificates',
        dueDate: '2028-02-29',
        owner: 'carol',
      });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({
        dueDate: '2028-02-29',
        owner: 'user:default/carol',
      });
      const before = await written();
      for (const owner of ['000', 'user:default/nobody']) {
        await expect400(
          await send('post', item, { title: 'x', owner }),
          /^owner: unknown catalog user user:default\//,
        );
        await expect400(
          await send('patch', `${item}/${ok.body.id}`, { owner }),
          /^owner: unknown catalog user user:default\//,
        );
      }
      expect(await written()).toEqual(before);
    });
  },
);
