import { createTestDatabases } from '../__testUtils__/databases';
import {
  ALICE,
  CAROL,
  GUEST,
  MALLORY,
  startMcpBackend,
} from '../__testUtils__/startMcpBackend';

jest.setTimeout(120_000);

const paymentsIncident = {
  title: 'Checkout returns 502s',
  severity: 'sev2',
  affectedServices: ['component:default/payments-api'],
  environments: ['production'],
  dedupKey: 'checkout-502',
};

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())(
  'agent actions over MCP on %p',
  databaseId => {
    let stop: (() => Promise<void>) | undefined;

    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    async function start() {
      const backend = await startMcpBackend(await databases.init(databaseId));
      stop = backend.stop;
      return backend;
    }

    it('says who is on call for a component, a group, a schedule or everything', async () => {
      const { connect } = await start();
      const { ok, refused } = await connect(GUEST);
      const payments = [
        expect.objectContaining({
          schedule: { id: 'payments-primary', name: 'Payments primary' },
          user: CAROL,
          isOverride: false,
        }),
      ];

      expect(
        (await ok('who-is-on-call', { entityRef: 'payments-api' })).items,
      ).toEqual(payments);
      expect(
        (
          await ok('who-is-on-call', {
            entityRef: 'group:default/team-payments',
          })
        ).items,
      ).toEqual(payments);
      expect(
        (await ok('who-is-on-call', { scheduleId: 'edge' })).items,
      ).toEqual([
        expect.objectContaining({
          schedule: { id: 'edge', name: 'Edge' },
          user: ALICE,
        }),
      ]);
      const everyone = (await ok('who-is-on-call')).items;
      expect(everyone.map((i: any) => [i.schedule.id, i.user])).toEqual([
        ['payments-primary', CAROL],
        ['edge', ALICE],
      ]);

      expect(await refused('who-is-on-call', { scheduleId: 'nope' })).toBe(
        "NotFoundError: On-call schedule 'nope' not found",
      );
      expect(
        await refused('who-is-on-call', {
          entityRef: 'payments-api',
          scheduleId: 'edge',
        }),
      ).toMatch(/^InputError: Give either entityRef or scheduleId/);
    });

    it('opens and lists incidents as the calling user', async () => {
      const { connect } = await start();
      const { ok } = await connect(GUEST);

      const opened = await ok('open-incident', paymentsIncident);
      expect(opened).toMatchObject({
        created: true,
        incident: {
          status: 'open',
          severity: 'sev2',
          openedBy: GUEST,
          ownerGroups: ['group:default/team-payments'],
        },
      });
      const { ref, id } = opened.incident;
      // A retry with the same dedupKey returns the same incident.
      expect(await ok('open-incident', paymentsIncident)).toMatchObject({
        created: false,
        incident: { id },
      });

      const listed = await ok('list-incidents', {
        status: ['open'],
        owner: ['team-payments'],
      });
      expect(listed).toMatchObject({ totalCount: 1, items: [{ id, ref }] });
      expect(
        (await ok('list-incidents', { q: 'no such words' })).totalCount,
      ).toBe(0);
    });

    it('acknowledges, annotates and reads an incident as the calling user', async () => {
      const { connect, http } = await start();
      const { ok, refused } = await connect(GUEST);
      const { ref, id } = (await ok('open-incident', paymentsIncident))
        .incident;

      const acked = await ok('acknowledge-incident', {
        incident: ref,
        message: 'Looking at the gateway',
      });
      expect(acked.incident).toMatchObject({
        status: 'investigating',
        responder: GUEST,
      });
      expect(await refused('acknowledge-incident', { incident: ref })).toBe(
        "ConflictError: Cannot move an incident from 'investigating' to 'investigating'; allowed moves from 'investigating': mitigated, resolved",
      );

      const note = await ok('add-incident-note', {
        incident: ref,
        message: 'Failover of the ledger DB started',
        links: [{ url: 'https://grafana.example/d/ledger', title: 'Ledger' }],
      });
      expect(note.entry).toMatchObject({ kind: 'note', actor: GUEST });

      const read = await ok('get-incident', { incident: ref });
      expect(read.incident).toMatchObject({ id, ref, responder: GUEST });
      expect(read.incident.actionItems).toEqual([]);
      expect(
        read.timeline.map((e: any) => [e.kind, e.actor, e.message]),
      ).toEqual(
        expect.arrayContaining([
          ['opened', GUEST, expect.any(String)],
          ['status', GUEST, 'Acknowledged: Looking at the gateway'],
          ['note', GUEST, 'Failover of the ledger DB started'],
        ]),
      );
      const brief = await ok('get-incident', {
        incident: id,
        includeTimeline: false,
      });
      expect(brief.timeline).toBeUndefined();

      // What the agent did is what the HTTP API shows.
      const viaHttp = await http('get', `/incidents/${id}`, CAROL);
      expect(viaHttp.status).toBe(200);
      expect(viaHttp.body).toMatchObject({
        status: 'investigating',
        responder: GUEST,
      });
    });

    it('refuses what the permission policy refuses, as tool errors', async () => {
      const { connect } = await start();
      const guest = await connect(GUEST);
      const alice = await connect(ALICE);
      const edge = (
        await alice.ok('open-incident', {
          title: 'Edge TLS errors',
          severity: 'sev1',
          affectedServices: ['edge-gateway'],
        })
      ).incident;

      // guest's team does not own edge-gateway
      expect(
        await guest.refused('acknowledge-incident', { incident: edge.ref }),
      ).toBe(
        `NotAllowedError: You may not move to 'investigating' ${edge.ref} (incidents.incident.acknowledge)`,
      );
      expect(
        (await guest.ok('get-incident', { incident: edge.ref })).incident
          .status,
      ).toBe('open');

      const mallory = await connect(MALLORY);
      expect(
        await mallory.refused('get-incident', { incident: edge.ref }),
      ).toBe('NotAllowedError: You may not view incidents');
      expect(await mallory.refused('list-incidents', {})).toBe(
        'NotAllowedError: You may not view incidents',
      );
      expect(
        await mallory.refused('add-incident-note', {
          incident: edge.ref,
          message: 'hello',
        }),
      ).toBe('NotAllowedError: You may not view incidents');

      // Arguments are checked against the schema before anything runs.
      expect(
        await guest.refused('open-incident', { title: 'x', severity: 'sev9' }),
      ).toMatch(
        /^InputError: Invalid input to action "incidents:open-incident"/,
      );
    });

    it("reads an incident's postmortem and finds the related published ones", async () => {
      const { connect, http } = await start();
      const { ok, refused } = await connect(GUEST);
      const earlier = (
        await ok('open-incident', {
          title: 'Ledger lag',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        })
      ).incident;
      for (const status of [
        'investigating',
        'mitigated',
        'resolved',
        'postmortem',
      ]) {
        await http('post', `/incidents/${earlier.ref}/status`, ALICE)
          .send({ status })
          .expect(200);
      }
      for (const status of ['review', 'published']) {
        await http('post', `/incidents/${earlier.ref}/postmortem/status`, ALICE)
          .send({ status })
          .expect(200);
      }
      const later = (
        await ok('open-incident', {
          title: 'Ledger lag again',
          severity: 'sev2',
          affectedServices: ['payments-api'],
        })
      ).incident;

      const { postmortem } = await ok('get-postmortem', {
        incident: earlier.ref,
      });
      expect(postmortem).toMatchObject({
        status: 'published',
        incident: { ref: earlier.ref },
        body: expect.stringContaining('## Root cause'),
      });
      expect(await refused('get-postmortem', { incident: later.ref })).toMatch(
        /^NotFoundError: INC-\d+ has no postmortem yet/,
      );

      const related = await ok('find-related-postmortems', {
        incident: later.ref,
      });
      expect(related.items).toEqual([
        expect.objectContaining({
          id: postmortem.id,
          incident: expect.objectContaining({ ref: earlier.ref }),
        }),
      ]);
      expect(related.items[0].body).toBeUndefined();
      const byService = await ok('find-related-postmortems', {
        entityRef: 'payments-api',
      });
      expect(byService.items.map((p: any) => p.id)).toEqual([postmortem.id]);
      expect(
        (await ok('find-related-postmortems', { entityRef: 'edge-gateway' }))
          .items,
      ).toEqual([]);
      expect(await refused('find-related-postmortems', {})).toBe(
        'InputError: Give either incident or entityRef',
      );
    });
  },
);
