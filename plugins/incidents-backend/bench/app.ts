/*
 * The incidents HTTP API for `yarn bench` and `bench/micro.ts`: the whole
 * plugin from the composition root (see bench/backend.ts).
 */
import { Entity } from '@backstage/catalog-model';
import { Knex } from 'knex';
import { createBenchBackend, listen } from './backend';
import {
  COMPONENT_COUNT,
  componentRef,
  GROUP_COUNT,
  groupOfComponent,
  USER_COUNT,
} from './seed';

/** The bench catalog: 5 groups, 20 components owned by them, a few users. */
export function benchEntities(): Entity[] {
  const entities: Entity[] = [];
  for (let g = 0; g < GROUP_COUNT; g++) {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: `team-${g}`, namespace: 'default' },
      spec: { type: 'team', children: [] },
    });
  }
  const users = ['bench'];
  for (let u = 0; u < USER_COUNT; u++) {
    users.push(`user-${String(u).padStart(2, '0')}`);
  }
  users.forEach((name, u) => {
    const group = `team-${u % GROUP_COUNT}`;
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name, namespace: 'default' },
      spec: { memberOf: [group] },
      relations: [{ type: 'memberOf', targetRef: `group:default/${group}` }],
    });
  });
  for (let c = 0; c < COMPONENT_COUNT; c++) {
    const name = componentRef(c).split('/')[1];
    const owner = groupOfComponent(c);
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner },
      relations: [{ type: 'ownedBy', targetRef: owner }],
    });
  }
  return entities;
}

/**
 * Starts the API on 127.0.0.1 and a random port. The schema must already be
 * migrated (the stores run migrations; they are idempotent).
 */
export async function startBenchApp(knex: Knex) {
  const backend = await createBenchBackend(knex, { entities: benchEntities() });
  const server = await listen(backend.router);
  return {
    store: backend.stores.incidents,
    service: backend.services.incidents,
    baseUrl: server.baseUrl,
    close: server.close,
  };
}
