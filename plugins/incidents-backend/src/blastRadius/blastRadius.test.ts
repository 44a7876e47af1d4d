import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';
import { toolboxEntities } from '../__testUtils__/toolboxCatalog';
import { readBlastRadiusMaxDepth } from './config';
import { walkDependents } from './walk';

jest.setTimeout(120_000);

const databases = createTestDatabases();
const GUEST = mockCredentials.user.header('user:default/guest');
const CAROL = mockCredentials.user.header('user:default/carol');
const ref = (r: string) => r.replace(':', ':default/');

/** carol may read incidents but not update them. */
const policy: TestPolicy = (permission, credentials) =>
  (credentials.principal as any).userEntityRef === 'user:default/carol' &&
  permission.name === 'incidents.incident.update'
    ? { result: AuthorizeResult.DENY }
    : { result: AuthorizeResult.ALLOW };

describe('incidents.blastRadius.maxDepth', () => {
  it('defaults to 5 and names the key when bad', () => {
    expect(readBlastRadiusMaxDepth(new ConfigReader({}))).toBe(5);
    expect(() =>
      readBlastRadiusMaxDepth(
        new ConfigReader({ incidents: { blastRadius: { maxDepth: 0 } } }),
      ),
    ).toThrow(
      'incidents.blastRadius.maxDepth: 0 is not an integer from 1 to 20',
    );
  });
});

describe.each(databases.eachSupportedId())('blast radius on %p', databaseId => {
  let knex: Knex;
  beforeEach(async () => {
    knex = await databases.init(databaseId);
  });

  async function setup() {
    let now = new Date('2026-12-03T10:00:00Z');
    const catalog = catalogServiceMock({ entities: toolboxEntities });
    const app = await createTestApp(knex, { policy, catalog, now: () => now });
    const open = await request(app.server)
      .post('/incidents')
      .set('Authorization', GUEST)
      .send({
        title: 'Payments down',
        severity: 'sev1',
        affectedServices: ['payments-api'],
      });
    expect(open.status).toBe(201);
    const tick = (ms: number) => {
      now = new Date(now.getTime() + ms);
    };
    return { ...app, catalog, id: open.body.id as string, tick };
  }

  it('walks dependents with their depth, relation and owning teams', async () => {
    const { server, id } = await setup();
    const res = await request(server)
      .get(`/incidents/${id}/blast-radius`)
      .set('Authorization', CAROL);
    expect(res.status).toBe(200);
    expect(res.body.affected).toEqual([ref('component:payments-api')]);
    const rows = res.body.dependents.map((d: any) => [
      d.entityRef,
      d.depth,
      d.relation,
      d.via,
      d.owners,
    ]);
    expect(rows).toEqual([
      [
        'component:default/checkout-web',
        1,
        'dependencyOf',
        ref('component:payments-api'),
        ['group:default/team-web'],
      ],
      [
        'system:default/checkout',
        1,
        'partOf',
        ref('component:payments-api'),
        ['group:default/team-payments'],
      ],
      [
        'component:default/mobile-app',
        1,
        'apiConsumedBy',
        'api:default/payments',
        ['group:default/team-mobile'],
      ],
      [
        'component:default/storefront',
        2,
        'dependencyOf',
        ref('component:checkout-web'),
        ['group:default/team-web'],
      ],
      [
        'component:default/reporting',
        3,
        'dependencyOf',
        ref('component:storefront'),
        ['group:default/team-data'],
      ],
    ]);
    expect(
      res.body.teams.map((t: any) => [
        t.owner,
        t.entityRefs.map(
          (r: string) =>
            `${r}@${
              res.body.dependents.find((d: any) => d.entityRef === r).depth
            }`,
        ),
      ]),
    ).toEqual([
      [
        'group:default/team-web',
        ['component:default/checkout-web@1', 'component:default/storefront@2'],
      ],
      ['group:default/team-payments', ['system:default/checkout@1']],
      ['group:default/team-mobile', ['component:default/mobile-app@1']],
      ['group:default/team-data', ['component:default/reporting@3']],
    ]);
    expect(res.body.truncated).toBe(false);
    expect(res.body.dependents[1]).toMatchObject({
      kind: 'system',
      title: 'Checkout',
    });
  });

  it('stops at maxDepth and says so', async () => {
    const { catalog } = await setup();
    const read = async (refs: string[]) =>
      (await catalog.getEntitiesByRefs({ entityRefs: refs })).items;
    const start = [ref('component:payments-api')];
    expect((await walkDependents(start, read, 3)).truncated).toBe(false);
    const bounded = await walkDependents(start, read, 2);
    expect(bounded.dependents.map(d => d.depth)).toEqual([1, 1, 1, 2]);
    expect(bounded.truncated).toBe(true);
  });

  it('caches per incident and affected services for a short while', async () => {
    const { server, id, catalog, tick } = await setup();
    const spy = jest.spyOn(catalog, 'getEntitiesByRefs');
    const get = () =>
      request(server)
        .get(`/incidents/${id}/blast-radius`)
        .set('Authorization', GUEST);
    const first = await get();
    const reads = spy.mock.calls.length;
    expect(reads).toBeGreaterThan(0);
    tick(30_000);
    expect((await get()).body.computedAt).toBe(first.body.computedAt);
    expect(spy.mock.calls.length).toBe(reads);
    // A new affected service is a new key.
    await request(server)
      .patch(`/incidents/${id}`)
      .set('Authorization', GUEST)
      .send({ affectedServices: ['payments-api', 'storefront'] })
      .expect(r => expect(r.status).toBe(200));
    const widened = await get();
    expect(widened.body.affected).toHaveLength(2);
    expect(widened.body.dependents.map((d: any) => d.entityRef)).not.toContain(
      'component:default/storefront',
    );
    tick(61_000);
    const later = await get();
    expect(later.body.computedAt).not.toBe(widened.body.computedAt);
  });

  it('notifies the owning groups and records it; refused without update', async () => {
    const { server, id, notifications } = await setup();
    const refused = await request(server)
      .post(`/incidents/${id}/blast-radius/notify`)
      .set('Authorization', CAROL);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('incidents.incident.update');
    expect(notifications).toHaveLength(0);

    const res = await request(server)
      .post(`/incidents/${id}/blast-radius/notify`)
      .set('Authorization', GUEST);
    expect(res.status).toBe(200);
    const groups = [
      'group:default/team-web',
      'group:default/team-payments',
      'group:default/team-mobile',
      'group:default/team-data',
    ];
    expect(res.body.notified).toEqual(groups);
    expect(notifications).toHaveLength(1);
    expect(notifications[0].recipients).toEqual({
      type: 'entity',
      entityRef: groups,
    });
    expect(notifications[0].payload.title).toMatch(
      /^INC-\d+ may affect your services/,
    );
    const timeline = await request(server)
      .get(`/incidents/${id}/timeline`)
      .set('Authorization', GUEST);
    const entry = timeline.body.items.find(
      (e: any) => e.id === res.body.entry.id,
    );
    expect(entry).toMatchObject({ actor: 'user:default/guest', kind: 'note' });
    expect(entry.message).toContain(
      'Notified the owners of 5 dependent entities',
    );
  });
});
