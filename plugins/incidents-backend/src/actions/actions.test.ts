import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ANNOTATION_ONCALL_SCHEDULE } from '@vigil/plugin-incidents-common';
import {
  createIncidentConditionalDecision,
  incidentConditions,
} from '@vigil/plugin-incidents-node';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  startIncidentsBackend,
  testEntities,
  TestPolicy,
} from '../__testUtils__/startIncidentsBackend';

jest.setTimeout(120_000);

const databases = createTestDatabases();

const GUEST = 'user:default/guest';
const CAROL = 'user:default/carol';
const ALICE = 'user:default/alice';
/** Not allowed to see incidents at all. */
const MALLORY = 'user:default/mallory';

/**
 * The demo's permission table: members read, open and add notes; the owning
 * team or the commander acknowledges; the responder or the commander edits;
 * admins (sre) do everything, and only they cancel and publish.
 */
const GROUPS: Record<string, string[]> = {
  [GUEST]: ['group:default/team-payments'],
  [CAROL]: ['group:default/team-payments'],
  [ALICE]: ['group:default/sre'],
};
const policy: TestPolicy = (permission, credentials) => {
  const user = (credentials.principal as any).userEntityRef as string;
  const claims = [user, ...(GROUPS[user] ?? [])];
  if (user === MALLORY) {
    return { result: AuthorizeResult.DENY };
  }
  if (claims.includes('group:default/sre')) {
    return { result: AuthorizeResult.ALLOW };
  }
  const conditional = (anyOf: any): PolicyDecision =>
    createIncidentConditionalDecision(permission as any, { anyOf });
  switch (permission.name) {
    case 'incidents.incident.read':
    case 'incidents.incident.create':
    case 'incidents.incident.note':
      return { result: AuthorizeResult.ALLOW };
    case 'incidents.incident.acknowledge':
      return conditional([
        incidentConditions.isOwnedBy({ claims }),
        incidentConditions.isCommander({ claims }),
      ]);
    case 'incidents.incident.resolve':
    case 'incidents.incident.update':
      return conditional([
        incidentConditions.isResponder({ claims }),
        incidentConditions.isCommander({ claims }),
      ]);
    default:
      return { result: AuthorizeResult.DENY };
  }
};

/** team-payments names its schedule; its components inherit it. */
const entities: Entity[] = testEntities.map(e =>
  e.kind === 'Group' && e.metadata.name === 'team-payments'
    ? {
        ...e,
        metadata: {
          ...e.metadata,
          annotations: { [ANNOTATION_ONCALL_SCHEDULE]: 'payments-primary' },
        },
      }
    : e,
);

/** One-member rotations that started last week: always the same person. */
const lastWeek = new Date(Date.now() - 7 * 86_400_000)
  .toISOString()
  .slice(0, 10);
const schedule = (id: string, name: string, member: string) => ({
  id,
  name,
  start: lastWeek,
  rotation: { type: 'weekly' },
  members: [member],
});

const TOOLS = [
  'incidents.acknowledge-incident',
  'incidents.add-incident-note',
  'incidents.find-related-postmortems',
  'incidents.get-incident',
  'incidents.get-postmortem',
  'incidents.list-incidents',
  'incidents.open-incident',
  'incidents.who-is-on-call',
];

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

describe.each(databases.eachSupportedId())(
  'agent actions over MCP on %p',
  databaseId => {
    let stop: (() => Promise<void>) | undefined;
    const clients: Client[] = [];

    afterEach(async () => {
      await Promise.all(clients.splice(0).map(c => c.close()));
      await stop?.();
      stop = undefined;
    });

    /** The plugin and the MCP actions backend, and an MCP client per user. */
    async function start() {
      const knex = await databases.init(databaseId);
      const backend = await startIncidentsBackend(knex, {
        policy,
        entities,
        features: [mcpActionsPlugin],
        config: {
          backend: { actions: { pluginSources: ['incidents'] } },
          incidents: {
            oncall: {
              schedules: [
                schedule('payments-primary', 'Payments primary', CAROL),
                schedule('edge', 'Edge', ALICE),
              ],
            },
          },
        },
      });
      stop = backend.stop;
      const connect = (user: string) => connectAs(backend.server, user);
      const http = (method: 'get' | 'post', path: string, user: string) =>
        request(backend.server)
          [method](`/api/incidents${path}`)
          .set('Authorization', mockCredentials.user.header(user));
      return { connect, http };
    }

    async function connectAs(server: Server, user: string) {
      const { port } = server.address() as AddressInfo;
      const client = new Client({ name: 'vigil-test', version: '1.0.0' });
      const transport = new StreamableHTTPClientTransport(
        new URL(`http://localhost:${port}/api/mcp-actions/v1`),
        {
          requestInit: {
            headers: { Authorization: mockCredentials.user.header(user) },
          },
        },
      );
      await client.connect(transport);
      clients.push(client);
      const call = (name: string, args: Record<string, unknown>) =>
        client.callTool({ name: `incidents.${name}`, arguments: args });
      /** The tool's output; fails the test on a tool error. */
      const ok = async (name: string, args: Record<string, unknown> = {}) => {
        const result = await call(name, args);
        expect(errorText(result)).toBeUndefined();
        return result.structuredContent as any;
      };
      /** The tool error's text; fails the test on success. */
      const refused = async (name: string, args: Record<string, unknown>) => {
        const result = await call(name, args);
        expect(result.isError).toBe(true);
        return errorText(result)!;
      };
      return { client, ok, refused };
    }

    it('lists the tools with descriptions, described arguments and honest attributes', async () => {
      const { connect } = await start();
      const { client } = await connect(GUEST);

      const { tools } = await client.listTools();

      expect(tools.map(t => t.name).sort()).toEqual(TOOLS);
      const hints = Object.fromEntries(
        tools.map(t => [
          t.name.replace('incidents.', ''),
          [
            t.annotations?.readOnlyHint,
            t.annotations?.destructiveHint,
            t.annotations?.idempotentHint,
          ],
        ]),
      );
      // [readOnly, destructive, idempotent]
      expect(hints).toEqual({
        'who-is-on-call': [true, false, true],
        'list-incidents': [true, false, true],
        'get-incident': [true, false, true],
        'get-postmortem': [true, false, true],
        'find-related-postmortems': [true, false, true],
        'open-incident': [false, false, false],
        'acknowledge-incident': [false, false, true],
        'add-incident-note': [false, false, false],
      });
      for (const tool of tools) {
        expect(tool.description!.length).toBeGreaterThan(60);
        const properties = Object.entries(tool.inputSchema.properties ?? {});
        expect(properties.length).toBeGreaterThan(0);
        for (const [name, property] of properties) {
          expect([tool.name, name, (property as any).description]).toEqual([
            tool.name,
            name,
            expect.any(String),
          ]);
        }
      }
      const open = tools.find(t => t.name === 'incidents.open-incident')!;
      expect(open.inputSchema.required).toEqual(['title', 'severity']);
      expect((open.inputSchema.properties as any).severity.enum).toEqual([
        'sev1',
        'sev2',
        'sev3',
        'sev4',
        'sev5',
      ]);
    });

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

    it('opens, lists, acknowledges, annotates and reads incidents as the calling user', async () => {
      const { connect, http } = await start();
      const { ok, refused } = await connect(GUEST);
      const input = {
        title: 'Checkout returns 502s',
        severity: 'sev2',
        affectedServices: ['component:default/payments-api'],
        environments: ['production'],
        dedupKey: 'checkout-502',
      };

      const opened = await ok('open-incident', input);
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
      expect(await ok('open-incident', input)).toMatchObject({
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
      ).toBe(`NotFoundError: Incident '${edge.ref}' not found`);
      expect(await mallory.refused('list-incidents', {})).toBe(
        'NotAllowedError: You may not view incidents',
      );
      expect(
        await mallory.refused('add-incident-note', {
          incident: edge.ref,
          message: 'hello',
        }),
      ).toBe(`NotFoundError: Incident '${edge.ref}' not found`);

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

function errorText(result: ToolResult): string | undefined {
  if (!result.isError) {
    return undefined;
  }
  const [first] = result.content as Array<{ type: string; text: string }>;
  return first?.text ?? 'error without text';
}
