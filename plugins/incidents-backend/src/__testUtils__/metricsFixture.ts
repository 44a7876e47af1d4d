import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from './createTestApp';

/**
 * The metrics fixture: incidents with hand-picked times over four ISO weeks
 * of March–April 2026 in Europe/Berlin (DST starts Sunday 29 March), the
 * expected figures worked out by hand in the tests that use it.
 *
 * | key | severity | component    | opened (UTC)        | ack    | mitigated | resolved | notes                       |
 * |-----|----------|--------------|---------------------|--------|-----------|----------|-----------------------------|
 * | A   | sev1     | payments-api | 2026-03-17 10:00    | +120 s | +1800 s   | +3600 s  | change-linked               |
 * | B   | sev1     | payments-api | 2026-03-18 10:00    | +600 s | —         | +7200 s  | change-linked, late ack     |
 * | C   | sev1     | payments-api | 2026-03-19 10:00    | +240 s | +1200 s   | —        |                             |
 * | I   | sev4     | payments-api | 2026-03-20 15:00 Fr | Mon 16:59Z (met: close 17:00Z) | | |                   |
 * | J   | sev4     | payments-api | 2026-03-27 15:00 Fr | Mon 16:30Z (late: close 16:00Z, CEST) | | |            |
 * | L   | sev3     | checkout-web | 2026-03-29 22:30 (Mon 00:30 CEST) | +1800 s | — | +3000 s |                    |
 * | D   | sev2     | checkout-web | 2026-03-30 09:00    | +900 s | —         | +5400 s  | ack exactly on target       |
 * | E   | sev2     | payments-api | 2026-04-01 12:00    | —      | —         | —        | open, past target: breach   |
 * | K   | sev5     | edge-gateway | 2026-04-04 10:00 Sa | —      | —         | —        | open, due Mon: pending      |
 * | F   | sev3     | payments-api | 2026-03-24 10:00    | cancelled: left out                                     |
 * | G   | sev2     | payments-api | 2026-03-25 10:00    | excluded from metrics: left out                         |
 * | H   | sev1     | payments-api | 2026-03-17 10:05    | merged into A: left out                                 |
 */
export const METRICS_NOW = new Date('2026-04-05T00:00:00.000Z');
/** Monday 16 March 00:00 Berlin to Monday 13 April 00:00 Berlin. */
export const METRICS_RANGE = {
  from: '2026-03-15T23:00:00.000Z',
  to: '2026-04-12T22:00:00.000Z',
};
export const METRICS_CONFIG = { timeZone: 'Europe/Berlin' };

const ADMIN = mockCredentials.user.header('user:default/alice');

interface Row {
  severity: string;
  service: string;
  opened: string;
  ack?: number | string;
  mitigated?: number;
  resolved?: number;
  change?: boolean;
}

const ROWS: Record<string, Row> = {
  A: {
    severity: 'sev1',
    service: 'payments-api',
    opened: '2026-03-17T10:00:00Z',
    ack: 120,
    mitigated: 1800,
    resolved: 3600,
    change: true,
  },
  B: {
    severity: 'sev1',
    service: 'payments-api',
    opened: '2026-03-18T10:00:00Z',
    ack: 600,
    resolved: 7200,
    change: true,
  },
  C: {
    severity: 'sev1',
    service: 'payments-api',
    opened: '2026-03-19T10:00:00Z',
    ack: 240,
    mitigated: 1200,
  },
  I: {
    severity: 'sev4',
    service: 'payments-api',
    opened: '2026-03-20T15:00:00Z',
    ack: '2026-03-23T16:59:00Z',
  },
  J: {
    severity: 'sev4',
    service: 'payments-api',
    opened: '2026-03-27T15:00:00Z',
    ack: '2026-03-30T16:30:00Z',
  },
  L: {
    severity: 'sev3',
    service: 'checkout-web',
    opened: '2026-03-29T22:30:00Z',
    ack: 1800,
    resolved: 3000,
  },
  D: {
    severity: 'sev2',
    service: 'checkout-web',
    opened: '2026-03-30T09:00:00Z',
    ack: 900,
    resolved: 5400,
  },
  E: {
    severity: 'sev2',
    service: 'payments-api',
    opened: '2026-04-01T12:00:00Z',
  },
  K: {
    severity: 'sev5',
    service: 'edge-gateway',
    opened: '2026-04-04T10:00:00Z',
  },
  F: {
    severity: 'sev3',
    service: 'payments-api',
    opened: '2026-03-24T10:00:00Z',
  },
  G: {
    severity: 'sev2',
    service: 'payments-api',
    opened: '2026-03-25T10:00:00Z',
  },
  H: {
    severity: 'sev1',
    service: 'payments-api',
    opened: '2026-03-17T10:05:00Z',
  },
};

const at = (opened: string, offset?: number | string) => {
  if (offset === undefined) return null;
  if (typeof offset === 'string') return new Date(offset);
  return new Date(new Date(opened).getTime() + offset * 1000);
};

/**
 * Opens the fixture's incidents through the API (so services, owners and
 * changes are stored as the product stores them), then sets their clock
 * times in the database: the lifecycle stamps times with the wall clock.
 */
export async function seedMetricsFixture(
  knex: Knex,
  app: Awaited<ReturnType<typeof createTestApp>>,
): Promise<Record<string, { id: string; ref: string }>> {
  const ids: Record<string, { id: string; ref: string }> = {};
  for (const [key, row] of Object.entries(ROWS)) {
    const res = await request(app.server)
      .post('/incidents')
      .set('Authorization', ADMIN)
      .send({
        title: `Fixture ${key}`,
        severity: row.severity,
        affectedServices: [`component:default/${row.service}`],
        ...(row.change
          ? { change: { url: `https://deploys.example.com/${key}` } }
          : {}),
      })
      .expect(201);
    ids[key] = { id: res.body.id, ref: res.body.ref };
  }
  await request(app.server)
    .post(`/incidents/${ids.H.ref}/merge`)
    .set('Authorization', ADMIN)
    .send({ into: ids.A.ref })
    .expect(200);
  await request(app.server)
    .patch(`/incidents/${ids.G.ref}`)
    .set('Authorization', ADMIN)
    .send({ excludeFromMetrics: true })
    .expect(200);
  for (const [key, row] of Object.entries(ROWS)) {
    const acknowledged = at(row.opened, row.ack);
    const mitigated = at(row.opened, row.mitigated);
    const resolved = at(row.opened, row.resolved);
    let status = 'open';
    if (acknowledged) status = 'investigating';
    if (mitigated) status = 'mitigated';
    if (resolved) status = 'resolved';
    if (key === 'F') status = 'cancelled';
    await knex('incident')
      .where({ id: ids[key].id })
      .update({
        opened_at: new Date(row.opened),
        acknowledged_at: acknowledged,
        mitigated_at: mitigated,
        resolved_at: resolved,
        ...(key === 'H' ? {} : { status }),
      });
  }
  return ids;
}
