import fc from 'fast-check';
import { Knex } from 'knex';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { parseAlertmanager } from './parsers';

jest.setTimeout(300_000);

const databases = createTestDatabases();
const FINGERPRINTS = ['a1', 'a2', 'a3', 'a4'];

type Status = 'firing' | 'resolved';
type Message = Array<{ fingerprint: string; status: Status }>;

/** One Alertmanager message of a group: a few of its alerts, each with a status. */
const message: fc.Arbitrary<Message> = fc.uniqueArray(
  fc.record({
    fingerprint: fc.constantFrom(...FINGERPRINTS),
    status: fc.constantFrom<Status>('firing', 'resolved'),
  }),
  { minLength: 1, maxLength: 4, selector: a => a.fingerprint },
);

/**
 * What senders do to a sequence of messages: Alertmanager in HA delivers some
 * twice, and the network swaps neighbours.
 */
const deliveries: fc.Arbitrary<Message[]> = fc
  .record({
    messages: fc.array(message, { minLength: 1, maxLength: 8 }),
    duplicate: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    swap: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  })
  .map(({ messages, duplicate, swap }) => {
    const sent = messages.flatMap((m, i) => (duplicate[i] ? [m, m] : [m]));
    for (let i = 0; i + 1 < sent.length; i++) {
      if (swap[i]) [sent[i], sent[i + 1]] = [sent[i + 1], sent[i]];
    }
    return sent;
  });

function alertmanagerBody(alerts: Message) {
  return {
    version: '4',
    groupKey: '{}:{alertname="Flapping"}',
    truncatedAlerts: 0,
    status: alerts.some(a => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'vigil',
    alerts: alerts.map(a => ({
      status: a.status,
      labels: {
        alertname: 'Flapping',
        severity: 'critical',
        pod: a.fingerprint,
      },
      annotations: { summary: `Flapping ${a.fingerprint}` },
      startsAt: '2026-11-22T07:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      fingerprint: a.fingerprint,
    })),
  };
}

describe.each(databases.eachSupportedId())(
  'alert dedup and grouping properties on %p',
  databaseId => {
    let knex: Knex;
    let app: Awaited<ReturnType<typeof createTestApp>>;
    let run = 0;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      // Storms off: this is about one group's alerts and its incident.
      app = await createTestApp(knex, {
        alerts: { storm: { enabled: false, windowMs: 60_000, threshold: 5 } },
      });
    });

    it('ends in the state of the last delivery, with one open incident exactly while an alert fires', async () => {
      await fc.assert(
        fc.asyncProperty(deliveries, async sent => {
          // Each run is its own sender, so runs don't share alerts.
          const sender = `prop-${(run += 1)}`;
          for (const m of sent) {
            const { alerts } = parseAlertmanager(alertmanagerBody(m), {
              sender,
              defaultSeverity: 'sev3',
              tagLabels: [],
            });
            await app.alerts.intake(alerts, `alertmanager:${sender}`);
          }

          const last = new Map<string, Status>();
          for (const m of sent) {
            for (const a of m) last.set(a.fingerprint, a.status);
          }
          const rows = await knex('incident_alert')
            .where({ source: `alertmanager:${sender}` })
            .select('fingerprint', 'status', 'incident_id');
          // One alert per fingerprint, in the status last delivered.
          expect(
            Object.fromEntries(rows.map(r => [r.fingerprint, r.status])),
          ).toEqual(Object.fromEntries(last));

          const active = await knex('incident')
            .where({ opened_by: `alertmanager:${sender}` })
            .whereIn('status', ['open', 'investigating', 'mitigated'])
            .pluck('id');
          const firing = [...last.values()].includes('firing');
          // The group has one incident while any of its alerts fires, and
          // none once they have all cleared.
          expect(active).toHaveLength(firing ? 1 : 0);
          for (const r of rows.filter(x => x.status === 'firing')) {
            expect(r.incident_id).toBe(active[0]);
          }
        }),
        { numRuns: 25 },
      );
    });
  },
);
