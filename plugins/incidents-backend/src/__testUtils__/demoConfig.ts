/*
 * The demo portal's own configuration and catalog, read from the repository
 * (app-config.yaml, examples/*.yaml), so tests check what the demo ships
 * rather than a copy of it.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { JsonObject } from '@backstage/types';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The repository's root folder. */
export const repoRoot = join(__dirname, '../../../..');

/** app-config.yaml, parsed. */
export function demoAppConfig(): JsonObject {
  return parse(readFileSync(join(repoRoot, 'app-config.yaml'), 'utf8'));
}

/** The demo's `backend.auth.externalAccess` entries. */
export function demoExternalAccess(): Array<{
  type: string;
  options: { token: string; subject: string };
  accessRestrictions?: JsonObject[];
}> {
  return (demoAppConfig() as any).backend.auth.externalAccess;
}

/** The static token the demo configures for `subject`. */
export function demoToken(subject: string): string {
  const entry = demoExternalAccess().find(e => e.options.subject === subject);
  if (!entry) {
    throw new Error(`app-config.yaml has no external access for ${subject}`);
  }
  return entry.options.token;
}

/**
 * The demo catalog (examples/entities.yaml and org.yaml) with the relations
 * the catalog would compute for what Vigil reads: ownedBy, memberOf and
 * hasMember.
 */
export function demoEntities(): Entity[] {
  const entities = ['entities.yaml', 'org.yaml'].flatMap(file =>
    parseAllDocuments(readFileSync(join(repoRoot, 'examples', file), 'utf8'))
      .map(d => d.toJS() as Entity)
      .filter(Boolean),
  );
  const ref = (kind: string, name: string) =>
    name.includes(':') ? name : `${kind}:default/${name}`;
  const members = new Map<string, string[]>();
  for (const e of entities) {
    e.metadata.namespace ??= 'default';
    const relations: NonNullable<Entity['relations']> = [];
    const spec = (e.spec ?? {}) as { owner?: string; memberOf?: string[] };
    if (spec.owner) {
      relations.push({ type: 'ownedBy', targetRef: ref('group', spec.owner) });
    }
    for (const group of spec.memberOf ?? []) {
      const groupRef = ref('group', group);
      relations.push({ type: 'memberOf', targetRef: groupRef });
      members.set(groupRef, [
        ...(members.get(groupRef) ?? []),
        stringifyEntityRef(e),
      ]);
    }
    e.relations = relations;
  }
  for (const e of entities) {
    for (const member of members.get(stringifyEntityRef(e)) ?? []) {
      e.relations!.push({ type: 'hasMember', targetRef: member });
    }
  }
  return entities;
}
