import { mockServices } from '@backstage/backend-test-utils';
import { wrapServer } from '@backstage/backend-openapi-utils/testUtils';
import express from 'express';
import request from 'supertest';
import { createTestDatabases } from '../__testUtils__/databases';
import { applyDatabaseMigrations } from '../database/migrations';
import { createRouter } from './router';

jest.setTimeout(60_000);

const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('router on %p', databaseId => {
  it('answers /health as the OpenAPI spec says', async () => {
    const knex = await databases.init(databaseId);
    await applyDatabaseMigrations({ getClient: async () => knex }, knex);
    const app = express().use(
      await createRouter({ logger: mockServices.logger.mock(), knex }),
    );
    // wrapServer checks every response against the spec and fails on a mismatch
    const server = await wrapServer(app);

    const res = await request(server).get('/health');

    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.migration).toBe('20261122000000_init.js');
  });
});
