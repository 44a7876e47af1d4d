/* eslint-disable jest/no-standalone-expect */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
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
import { Knex } from 'knex';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  startIncidentsBackend,
  testEntities,
  TestPolicy,
} from './startIncidentsBackend';

export const GUEST = 'user:default/guest';
export const CAROL = 'user:default/carol';
export const ALICE = 'user:default/alice';
/** Not allowed to see incidents at all. */
export const MALLORY = 'user:default/mallory';

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

type ToolResult = Awaited<ReturnType<Client['callTool']>>;

/**
 * The incidents plugin and the MCP actions backend on the given database
 * (the demo's permission table, team-payments' and edge's schedules), with
 * MCP clients (the official SDK, streamable HTTP) per user and the HTTP API.
 * `actionsFilter` is `backend.actions.filter`. Call `stop` after each test.
 */
export async function startMcpBackend(
  knex: Knex,
  options: { actionsFilter?: JsonObject } = {},
) {
  const clients: Client[] = [];
  const backend = await startIncidentsBackend(knex, {
    policy,
    entities,
    features: [mcpActionsPlugin],
    config: {
      backend: {
        actions: {
          pluginSources: ['incidents'],
          ...(options.actionsFilter ? { filter: options.actionsFilter } : {}),
        },
      },
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
  const connect = async (user: string) => {
    const client = await connectAs(backend.server, user);
    clients.push(client.client);
    return client;
  };
  const http = (method: 'get' | 'post', path: string, user: string) =>
    request(backend.server)
      [method](`/api/incidents${path}`)
      .set('Authorization', mockCredentials.user.header(user));
  const stop = async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await backend.stop();
  };
  return { connect, http, stop };
}

/** An MCP client as `user`, with helpers that call Vigil's tools. */
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

function errorText(result: ToolResult): string | undefined {
  if (!result.isError) {
    return undefined;
  }
  const [first] = result.content as Array<{ type: string; text: string }>;
  return first?.text ?? 'error without text';
}
