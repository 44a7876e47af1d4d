import { mockCredentials } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { TestPolicy } from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const ALICE = 'user:default/alice';
/** Sees only the incidents of services his team owns (conditional read). */
const DAVE = 'user:default/dave';
const as = (user: string) => mockCredentials.user.header(user);

/**
 * The demo policy's table: members read and add notes; the responder or
 * commander edits (which covers postmortems); only admins (sre) publish.
 */
const GROUPS: Record<string, string[]> = {
  [GUEST]: ['group:default/team-payments'],
  [CAROL]: ['group:default/team-payments'],
  [ALICE]: ['group:default/sre'],
  [DAVE]: ['group:default/team-payments'],
};
const designPolicy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef as string;
  const claims = [user, ...(GROUPS[user] ?? [])];
  if (claims.includes('group:default/sre')) {
    return { result: AuthorizeResult.ALLOW };
  }
  const conditional = (conditions: any): PolicyDecision =>
    createIncidentConditionalDecision(permission as any, conditions);
  if (user === DAVE && permission.name === 'incidents.incident.read') {
    return conditional({ anyOf: [incidentConditions.isOwnedBy({ claims })] });
  }
  switch (permission.name) {
    case 'incidents.incident.read':
    case 'incidents.incident.create':
    case 'incidents.incident.note':
      return { result: AuthorizeResult.ALLOW };
    case 'incidents.incident.acknowledge':
      return conditional({
        anyOf: [
          incidentConditions.isOwnedBy({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    case 'incidents.incident.resolve':
    case 'incidents.incident.update':
      return conditional({
        anyOf: [
          incidentConditions.isResponder({ claims }),
          incidentConditions.isCommander({ claims }),
        ],
      });
    default:
      return { result: AuthorizeResult.DENY };
  }
};

describe.each(databases.eachSupportedId())('postmortems on %p', databaseId => {
  async function setup(options: Parameters<typeof createTestApp>[1] = {}) {
    const knex = await databases.init(databaseId);
    const app = await createTestApp(knex, {
      policy: designPolicy,
      ...options,
    });
    const call = (
      method: 'get' | 'post' | 'put' | 'patch',
      path: string,
      user: string,
      body?: object,
    ) => {
      const r = request(app.server)
        [method](path)
        .set('Authorization', as(user));
      return body ? r.send(body) : r;
    };
    /** Opens an incident as guest and works it to resolved. */
    const resolved = async (body: object = {}, user = GUEST) => {
      const opened = await call('post', '/incidents', user, {
        title: 'Checkout returns 500',
        severity: 'sev1',
        affectedServices: ['component:default/checkout-web'],
        environments: ['production'],
        commander: CAROL,
        ...body,
      });
      expect(opened.status).toBe(201);
      const ref = opened.body.ref as string;
      for (const status of ['investigating', 'mitigated', 'resolved']) {
        const moved = await call('post', `/incidents/${ref}/status`, user, {
          status,
          message: `moved to ${status}`,
        });
        expect(moved.status).toBe(200);
      }
      return opened.body as { id: string; ref: string };
    };
    /** Sends a started postmortem to review and publishes it as an admin. */
    const publish = async (ref: string, author = GUEST) => {
      await call('post', `/incidents/${ref}/postmortem/status`, author, {
        status: 'review',
      }).expect(200);
      await call('post', `/incidents/${ref}/postmortem/status`, ALICE, {
        status: 'published',
      }).expect(200);
    };
    return { ...app, knex, call, resolved, publish };
  }

  it('starts from the template, pre-filled, when a resolved incident moves to postmortem', async () => {
    const { call, resolved, knex } = await setup();
    const { ref, id } = await resolved();
    await call('patch', `/incidents/${ref}`, GUEST, {
      impact: { affectedUsers: 12000, businessImpact: 'No checkouts in EU' },
      rootCause: {
        confirmedCause: 'Expired TLS certificate on the payments gateway',
        trigger: 'Certificate rotation job failed silently',
      },
    }).expect(200);
    await call('post', `/incidents/${ref}/action-items`, GUEST, {
      title: 'Alert on certificate expiry',
      owner: 'carol',
      dueDate: '2026-12-01',
      horizon: 'short',
    }).expect(201);

    expect(
      (await call('get', `/incidents/${ref}/postmortem`, GUEST)).status,
    ).toBe(404);
    await call('post', `/incidents/${ref}/status`, GUEST, {
      status: 'postmortem',
    }).expect(200);

    const res = await call('get', `/incidents/${ref}/postmortem`, GUEST);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'draft',
      version: 1,
      revision: 1,
      title: `Postmortem: ${ref} Checkout returns 500`,
      createdBy: GUEST,
      incident: {
        id,
        ref,
        severity: 'sev1',
        status: 'postmortem',
        affectedServices: ['component:default/checkout-web'],
        commander: CAROL,
      },
    });
    const body: string = res.body.body;
    for (const section of [
      '## Summary',
      '## Impact',
      '## Timeline',
      '## Root cause',
      '## Trigger',
      "## Why wasn't it caught earlier?",
      '## Why did it take this long?',
      '## Resolution',
      '## Action items',
      '## Lessons learned',
    ]) {
      expect(body).toContain(section);
    }
    expect(body).toContain('- Affected users: 12,000');
    expect(body).toContain('- Business impact: No checkouts in EU');
    expect(body).toContain('Expired TLS certificate on the payments gateway');
    expect(body).toContain('Certificate rotation job failed silently');
    expect(body).toContain('- Commander: user:default/carol');
    expect(body).toContain('SEV1 (critical)');
    expect(body).toContain('component:default/checkout-web');
    expect(body).toMatch(
      /\| .* UTC \| user:default\/guest \| Resolved: moved to resolved \|/,
    );
    expect(body).toContain(
      '- [ ] Alert on certificate expiry — owner user:default/carol — due 2026-12-01 — short term',
    );
    expect(body).toMatch(/- Duration: \d+ s \(opened/);

    // Starting again answers with the same postmortem.
    const again = await call('post', `/incidents/${ref}/postmortem`, GUEST);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(res.body.id);
    const [{ count }] = await knex('incident_postmortem').count({ count: '*' });
    expect(Number(count)).toBe(1);
  });

  it('starts through POST, and not before the incident is resolved', async () => {
    const { call, resolved } = await setup();
    const opened = await call('post', '/incidents', GUEST, {
      title: 'Search is slow',
      severity: 'sev2',
      affectedServices: ['component:default/checkout-web'],
    });
    const early = await call(
      'post',
      `/incidents/${opened.body.ref}/postmortem`,
      GUEST,
    );
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe(
      `${opened.body.ref} is 'open'; its postmortem starts once it is resolved`,
    );

    const { ref } = await resolved();
    const started = await call('post', `/incidents/${ref}/postmortem`, GUEST);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'draft', version: 1 });
    const incident = await call('get', `/incidents/${ref}`, GUEST);
    expect(incident.body.status).toBe('postmortem');
  });

  it('saves with a version check: a stale save is a clear 409 and writes nothing', async () => {
    const { call, resolved } = await setup();
    const { ref } = await resolved();
    await call('post', `/incidents/${ref}/postmortem`, GUEST).expect(201);

    const first = await call('put', `/incidents/${ref}/postmortem`, CAROL, {
      body: '# Carol was here\n',
      version: 1,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 2, updatedBy: CAROL });

    // Guest edited version 1 too and saves after Carol.
    const stale = await call('put', `/incidents/${ref}/postmortem`, GUEST, {
      body: '# Guest overwrites\n',
      version: 1,
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toMatch(
      new RegExp(
        `^The postmortem of ${ref} was changed by user:default/carol at .* \\(now version 2\\) since you loaded version 1; reload it and apply your changes again$`,
      ),
    );
    const current = await call('get', `/incidents/${ref}/postmortem`, GUEST);
    expect(current.body).toMatchObject({
      body: '# Carol was here\n',
      version: 2,
    });

    const revisions = await call(
      'get',
      `/incidents/${ref}/postmortem/revisions`,
      GUEST,
    );
    expect(
      revisions.body.items.map((r: any) => [r.version, r.action, r.author]),
    ).toEqual([
      [2, 'saved', CAROL],
      [1, 'started', GUEST],
    ]);
    expect(revisions.body.items[0].body).toBe('# Carol was here\n');
  });

  it('lets exactly one of many concurrent saves from one version win', async () => {
    const { call, resolved } = await setup();
    const { ref } = await resolved();
    await call('post', `/incidents/${ref}/postmortem`, GUEST).expect(201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call('put', `/incidents/${ref}/postmortem`, i % 2 ? GUEST : CAROL, {
          body: `edit ${i}\n`,
          version: 1,
        }),
      ),
    );
    const statuses = results.map(r => r.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(409)]);
    const winner = results.find(r => r.status === 200)!;
    const current = await call('get', `/incidents/${ref}/postmortem`, GUEST);
    expect(current.body).toMatchObject({ version: 2, body: winner.body.body });
  });

  it('goes draft → review → published; publishing records who and when, audits last, and makes it read-only', async () => {
    const { call, resolved, knex, events } = await setup();
    const { ref, id } = await resolved();
    await call('post', `/incidents/${ref}/postmortem`, GUEST).expect(201);

    const early = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      ALICE,
      {
        status: 'published',
      },
    );
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe(
      `Cannot move a postmortem from 'draft' to 'published'; allowed moves from 'draft': review (${ref})`,
    );

    const review = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      GUEST,
      {
        status: 'review',
        version: 1,
      },
    );
    expect(review.status).toBe(200);
    expect(review.body).toMatchObject({
      status: 'review',
      version: 2,
      submittedBy: GUEST,
    });

    // Publishing text you have not seen is refused.
    const stale = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      ALICE,
      {
        status: 'published',
        version: 1,
      },
    );
    expect(stale.status).toBe(409);

    const published = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      ALICE,
      {
        status: 'published',
        version: 2,
      },
    );
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: 'published',
      version: 3,
      publishedBy: ALICE,
    });
    expect(Date.parse(published.body.publishedAt)).toBeGreaterThan(
      Date.now() - 60_000,
    );
    const [lastAudit] = await knex('incident_audit')
      .where({ incident_id: id })
      .orderBy('id', 'desc')
      .limit(1);
    expect(lastAudit).toMatchObject({
      action: 'postmortem_published',
      actor: ALICE,
    });
    expect(events.map(e => (e.eventPayload as any).type)).toContain(
      'incident.postmortem_published',
    );
    const timeline = await call('get', `/incidents/${ref}/timeline`, GUEST);
    expect(timeline.body.items.at(-1)).toMatchObject({
      kind: 'postmortem',
      actor: ALICE,
      message: 'Postmortem published (revision 1)',
    });

    const edit = await call('put', `/incidents/${ref}/postmortem`, GUEST, {
      body: 'late edit',
      version: 3,
    });
    expect(edit.status).toBe(409);
    expect(edit.body.error.message).toBe(
      `The postmortem of ${ref} is published and read-only; start a new revision to change it`,
    );

    const reopened = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      GUEST,
      {
        status: 'draft',
      },
    );
    expect(reopened.body).toMatchObject({
      status: 'draft',
      revision: 2,
      version: 4,
      publishedBy: ALICE,
    });
    await call('put', `/incidents/${ref}/postmortem`, GUEST, {
      body: 'revision 2',
      version: 4,
    }).expect(200);
  });

  it('lets a member send to review but not publish', async () => {
    const { call, resolved, server } = await setup();
    const { ref } = await resolved();
    await call('post', `/incidents/${ref}/postmortem`, GUEST).expect(201);
    await call('post', `/incidents/${ref}/postmortem/status`, GUEST, {
      status: 'review',
    }).expect(200);

    const denied = await call(
      'post',
      `/incidents/${ref}/postmortem/status`,
      GUEST,
      {
        status: 'published',
      },
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You may not publish postmortems (incidents.postmortem.publish)',
    );
    const current = await call('get', `/incidents/${ref}/postmortem`, GUEST);
    expect(current.body).toMatchObject({ status: 'review', version: 2 });
    expect(current.body.publishedAt).toBeUndefined();

    // Carol is the commander, so she may edit; a member who is neither may not.
    const outsider = 'user:default/alice-not-admin';
    GROUPS[outsider] = ['group:default/team-search'];
    const edit = await call('put', `/incidents/${ref}/postmortem`, outsider, {
      body: 'x',
      version: 2,
    });
    expect(edit.status).toBe(403);
    expect(edit.body.error.message).toBe(
      `You may not edit the postmortem of ${ref} (incidents.incident.update)`,
    );
    await call('put', `/incidents/${ref}/postmortem`, CAROL, {
      body: 'x',
      version: 2,
    }).expect(200);
    // Service callers (the search collator) read, but do not write.
    const service = await request(server)
      .get('/postmortems')
      .set('Authorization', mockCredentials.service.header());
    expect(service.status).toBe(200);
  });
});
