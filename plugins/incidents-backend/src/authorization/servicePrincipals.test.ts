/*
 * Least privilege for service principals, with Backstage's real auth,
 * httpAuth and permissions services and the demo's own external-access
 * entries from app-config.yaml: every operation of openapi.yaml is called
 * with the Alertmanager token (alert intake only) and the seeder's token
 * (what examples/incidents/seed.mjs needs); what they may not do answers
 * 403 and changes nothing in the database.
 */
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { parse } from 'yaml';
import { createTestDatabases } from '../__testUtils__/databases';
import {
  demoAppConfig,
  demoEntities,
  demoExternalAccess,
  demoToken,
  repoRoot,
} from '../__testUtils__/demoConfig';
import { startIncidentsBackend } from '../__testUtils__/startIncidentsBackend';
import { readServicePrincipals } from './servicePrincipals';

jest.setTimeout(180_000);

const databases = createTestDatabases();

const ALERTMANAGER = demoToken('alertmanager-demo');
const SEEDER = demoToken('vigil-demo-seed');
const MCP = demoToken('vigil-demo-mcp');
/** A test-only token with the whole plugin, to set the scene. */
const ADMIN = 'test-admin-token-with-every-permission';
const ROUTING_KEY = 'vigil-demo-events-v2-routing-key';

const spec = parse(
  readFileSync(join(__dirname, '../schema/openapi.yaml'), 'utf8'),
) as { paths: Record<string, Record<string, any>> };

/** Every operation of the spec: its id, method and path template. */
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([, op]) => op?.operationId)
    .map(([method, op]) => ({
      id: op.operationId as string,
      method: method as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path,
      /** Needs no Backstage credentials (`security: [{}]` or none). */
      open:
        !op.security || op.security.some((s: object) => !Object.keys(s).length),
    })),
);

type Scene = {
  a: string;
  b: string;
  itemId: string;
  maintenanceId: string;
  postmortemVersion: number;
};

const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
const inTwoHours = new Date(Date.now() + 7_200_000).toISOString();

/**
 * A request for each operation that the spec accepts and an unrestricted
 * caller would be allowed: a 403 then means the permission check refused.
 */
function requestFor(id: string, s: Scene): { query?: object; body?: unknown } {
  const requests: Record<string, { query?: object; body?: unknown }> = {
    OpenIncident: {
      body: {
        title: 'Opened by a service',
        severity: 'sev3',
        affectedServices: ['component:default/payments-api'],
      },
    },
    UpdateIncident: { body: { title: 'Renamed by a service' } },
    MoveIncident: { body: { status: 'cancelled' } },
    AddTimelineNote: { body: { message: 'a note' } },
    MergeIncident: { body: { into: s.b } },
    AddStatusUpdate: { body: { message: 'update', visibility: 'internal' } },
    AddEvidence: { body: { url: 'https://grafana.example.com/d/1' } },
    AddActionItem: { body: { title: 'Add a retry' } },
    UpdateActionItem: { body: { done: true } },
    SavePostmortem: {
      body: { body: '# Rewritten', version: s.postmortemVersion },
    },
    MovePostmortem: { body: { status: 'review' } },
    GetEntityRunbooks: {
      query: { entityRef: 'component:default/payments-api' },
    },
    AddScheduleOverride: {
      body: {
        userRef: 'user:default/guest',
        start: inAnHour,
        end: inTwoHours,
      },
    },
    HandoffSchedule: { body: { userRef: 'user:default/guest' } },
    ProposeScheduleSwap: {
      body: {
        targetRef: 'user:default/carol',
        start: inAnHour,
        end: inTwoHours,
      },
    },
    InspectAckLink: { body: { token: 'not-a-link' } },
    AcknowledgeByLink: { body: { token: 'not-a-link' } },
    RegenerateSchedule: { body: {} },
    ImportScheduleShifts: {
      body: { ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' },
    },
    PostAlerts: {
      body: {
        source: 'test',
        fingerprint: 'service-alert-1',
        status: 'firing',
        severity: 'warning',
        title: 'Disk filling',
      },
    },
    PostAlertmanagerWebhook: {
      body: {
        version: '4',
        groupKey: '{}:{alertname="DiskFilling"}',
        status: 'firing',
        receiver: 'vigil',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'DiskFilling', severity: 'warning' },
            annotations: { summary: 'Disk filling' },
            startsAt: new Date().toISOString(),
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'service-alert-2',
          },
        ],
      },
    },
    PostEventsV2: {
      body: {
        routing_key: ROUTING_KEY,
        event_action: 'trigger',
        dedup_key: 'service-alert-3',
        payload: {
          summary: 'Disk filling',
          source: 'node-1',
          severity: 'warning',
        },
      },
    },
    ScheduleMaintenance: {
      body: {
        name: 'Database upgrade',
        components: ['component:default/payments-api'],
        scheduledFor: inAnHour,
        scheduledUntil: inTwoHours,
      },
    },
    UpdateMaintenance: { body: { message: 'Moved' } },
    PublishIncident: { body: {} },
    EditPublicIncident: { body: { name: 'Payments degraded' } },
    PostPublicUpdate: { body: { message: 'We are looking into it' } },
  };
  return requests[id] ?? {};
}

/** The operation's path with the scene's ids in it. */
function pathFor(path: string, s: Scene): string {
  return path
    .replace('{id}', s.a)
    .replace('{itemId}', s.itemId)
    .replace('{scheduleId}', 'payments-primary')
    .replace('{maintenanceId}', s.maintenanceId)
    .replace('{swapId}', 'no-such-swap');
}

/** Every row of every table but Backstage's own, for "nothing changed". */
async function snapshot(knex: Knex): Promise<Record<string, unknown[]>> {
  const tables: string[] =
    knex.client.config.client === 'pg'
      ? (
          await knex.raw(
            'select tablename from pg_tables where schemaname = current_schema()',
          )
        ).rows.map((r: { tablename: string }) => r.tablename)
      : (
          await knex.raw(
            "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
          )
        ).map((r: { name: string }) => r.name);
  const result: Record<string, unknown[]> = {};
  for (const table of tables.filter(t => !t.startsWith('backstage_')).sort()) {
    const rows = await knex(table).select();
    result[table] = rows
      .map(r => JSON.stringify(r))
      .sort()
      .map(r => JSON.parse(r));
  }
  return result;
}

/** The demo's config with a test-only unrestricted token added. */
function config() {
  const demo = demoAppConfig() as any;
  return {
    backend: {
      baseUrl: 'http://localhost:7007',
      auth: {
        externalAccess: [
          ...demoExternalAccess(),
          {
            type: 'static',
            options: { token: ADMIN, subject: 'test-admin' },
            accessRestrictions: [{ plugin: 'incidents' }],
          },
        ],
      },
    },
    permission: { enabled: true },
    incidents: {
      ...demo.incidents,
      escalation: { ...demo.incidents.escalation, pagingSeverities: [] },
    },
  };
}

describe.each(databases.eachSupportedId())(
  'service principals on %p',
  databaseId => {
    let stop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    async function start() {
      const knex = await databases.init(databaseId);
      const backend = await startIncidentsBackend(knex, {
        realAuth: true,
        config: config(),
        entities: demoEntities(),
      });
      stop = backend.stop;
      const call = (
        token: string,
        method: 'get' | 'post' | 'put' | 'patch' | 'delete',
        path: string,
        req: { query?: object; body?: unknown } = {},
      ) => {
        let r = request(backend.server)
          [method](`/api/incidents${path}`)
          .set('Authorization', `Bearer ${token}`);
        if (req.query) r = r.query(req.query);
        return req.body !== undefined ? r.send(req.body as object) : r;
      };
      return { knex, server: backend.server, call };
    }

    /** Two incidents and an action item. */
    async function setScene(call: Awaited<ReturnType<typeof start>>['call']) {
      const ok = async (res: request.Test, status = 200) => {
        const r = await res;
        if (r.status !== status)
          throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
        return r.body;
      };
      const open = (title: string) =>
        ok(
          call(ADMIN, 'post', '/incidents', {
            body: {
              title,
              severity: 'sev3',
              affectedServices: ['component:default/payments-api'],
            },
          }),
          201,
        );
      const a = (await open('Payments slow')).ref;
      const b = (await open('Payments slow again')).ref;
      const item = await ok(
        call(ADMIN, 'post', `/incidents/${a}/action-items`, {
          body: { title: 'Add an alert' },
        }),
        201,
      );
      return {
        a,
        b,
        itemId: item.id,
        // People publish and schedule maintenance (user credentials only).
        maintenanceId: 'no-such-maintenance',
        postmortemVersion: 1,
      };
    }

    it('lets the Alertmanager token post alerts and nothing else', async () => {
      const { knex, call } = await start();
      const scene = await setScene(call);
      const intake = ['PostAlerts', 'PostAlertmanagerWebhook', 'PostEventsV2'];

      const before = await snapshot(knex);
      const answered: Record<string, number> = {};
      const unauthenticated: Record<string, number> = {};
      for (const op of operations) {
        if (intake.includes(op.id)) continue;
        const res = await call(
          ALERTMANAGER,
          op.method,
          pathFor(op.path, scene),
          requestFor(op.id, scene),
        );
        (op.open ? unauthenticated : answered)[op.id] = res.status;
      }
      // Every authenticated operation but alert intake is refused; the
      // public page and /health need no credentials at all.
      expect(answered).toEqual(
        Object.fromEntries(
          operations
            .filter(op => !op.open && !intake.includes(op.id))
            .map(op => [op.id, 403]),
        ),
      );
      expect(Object.keys(answered).length).toBeGreaterThanOrEqual(50);
      expect(Object.keys(unauthenticated).sort()).toEqual(
        expect.arrayContaining(['GetHealth', 'GetPublicStatusPage']),
      );
      expect(
        Object.values(unauthenticated).filter(status => status >= 500),
      ).toEqual([]);
      expect(await snapshot(knex)).toEqual(before);

      for (const id of intake) {
        const op = operations.find(o => o.id === id)!;
        const res = await call(
          ALERTMANAGER,
          op.method,
          op.path,
          requestFor(id, scene),
        );
        expect({ id, status: res.status }).toEqual({
          id,
          status: 202,
        });
      }
      expect(
        (await knex('incident_alert').select('fingerprint')).map(
          r => r.fingerprint,
        ),
      ).toEqual(
        expect.arrayContaining([
          'service-alert-1',
          'service-alert-2',
          'service-alert-3',
        ]),
      );
    });

    it("gives the seeder what the demo's seed script needs, and refuses the rest", async () => {
      const { knex, server, call } = await start();
      const { port } = server.address() as AddressInfo;

      // The seed script itself, as scripts/demo.sh runs it.
      await promisify(execFile)(
        process.execPath,
        [join(repoRoot, 'examples/incidents/seed.mjs')],
        {
          env: {
            ...process.env,
            VIGIL_URL: `http://127.0.0.1:${port}/api/incidents`,
            VIGIL_DEMO_TOKEN: SEEDER,
          },
        },
      );
      const statuses = (await knex('incident').select('status')).map(
        r => r.status,
      );
      expect(statuses).toEqual(
        expect.arrayContaining(['investigating', 'resolved', 'cancelled']),
      );

      const scene = await setScene(call);
      // What its permissions (read, create, acknowledge, resolve, cancel,
      // note, alert.create) cover; everything else must be refused.
      const allowed = new Set([
        // reads: incidents and what belongs to incident response
        'ListIncidents',
        'GetIncident',
        'GetTimeline',
        'ListAlerts',
        'GetIncidentRunbooks',
        'GetEntityRunbooks',
        'GetIncidentBlastRadius',
        'ListIncidentEscalations',
        'ListEscalationPolicies',
        'GetPostmortem',
        'ListPostmortemRevisions',
        'ListRelatedPostmortems',
        'ListPostmortems',
        'ListActionItems',
        'GetIncidentStatusPage',
        'GetStatusPage',
        'ListMaintenances',
        'GetOncallNow',
        'ListSchedules',
        'ListScheduleSlots',
        'GetScheduleCalendar',
        'GetScheduleTimeline',
        'ListScheduleSwaps',
        'GetMetricsSummary',
        'GetMetricsFrequency',
        'GetMetricsSla',
        'GetMetricsChangeFailure',
        'GetMetricsOncallLoad',
        // writes: opening, moving, and the note permission's additions
        'OpenIncident',
        'MoveIncident',
        'AddTimelineNote',
        'AddStatusUpdate',
        'AddEvidence',
        'AddActionItem',
        'UpdateActionItem',
        'PostAlerts',
        'PostAlertmanagerWebhook',
        'PostEventsV2',
      ]);
      const before = await snapshot(knex);
      const answered: Record<string, number> = {};
      for (const op of operations) {
        if (op.open || allowed.has(op.id)) continue;
        const res = await call(
          SEEDER,
          op.method,
          pathFor(op.path, scene),
          requestFor(op.id, scene),
        );
        answered[op.id] = res.status;
      }
      expect(answered).toEqual(
        Object.fromEntries(
          operations
            .filter(op => !op.open && !allowed.has(op.id))
            .map(op => [op.id, 403]),
        ),
      );
      expect(await snapshot(knex)).toEqual(before);
    });

    it('keeps the MCP token to what the MCP tools do', async () => {
      const { knex, call } = await start();
      const scene = await setScene(call);
      const before = await snapshot(knex);
      for (const [id, method, path, body] of [
        [
          'MoveIncident',
          'post',
          `/incidents/${scene.a}/status`,
          { status: 'cancelled' },
        ],
        ['UpdateIncident', 'patch', `/incidents/${scene.a}`, { title: 'x' }],
        ['PostAlerts', 'post', '/alerts', requestFor('PostAlerts', scene).body],
      ] as const) {
        const res = await call(MCP, method, path, { body });
        expect({ id, status: res.status }).toEqual({ id, status: 403 });
      }
      expect(await snapshot(knex)).toEqual(before);
    });
  },
);

describe('incidents.servicePrincipals', () => {
  const read = (servicePrincipals: unknown) =>
    readServicePrincipals(
      new ConfigReader({ incidents: { servicePrincipals } } as any),
    );

  it('reads subjects and their permissions', () => {
    expect(
      read([
        {
          subject: 'plugin:mcp-actions',
          permissions: ['incidents.incident.read'],
        },
      ]),
    ).toEqual([
      {
        subject: 'plugin:mcp-actions',
        permissions: ['incidents.incident.read'],
      },
    ]);
  });

  it('stops on a permission Vigil does not have, naming the key', () => {
    expect(() =>
      read([{ subject: 'ci', permissions: ['incidents.incident.delete'] }]),
    ).toThrow(
      /^incidents\.servicePrincipals\[0\]\.permissions: 'incidents\.incident\.delete' is not a Vigil permission/,
    );
    expect(() =>
      read([
        { subject: 'ci', permissions: [] },
        { subject: 'ci', permissions: [] },
      ]),
    ).toThrow("incidents.servicePrincipals[1].subject: 'ci' is listed twice");
  });
});
