/*
 * The blast radius walk: breadth first from the affected components along
 * the catalog's relations towards what depends on them. Each level costs
 * two catalog reads (the level's entities, then the APIs they provide), so
 * a walk of depth d is at most 2d + 1 reads whatever the catalog's size.
 * Every dependent appears once, at its smallest depth.
 */
import {
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_DEPENDENCY_OF,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  BlastRadiusDependent,
  BlastRadiusRelation,
} from '@vigil/plugin-incidents-common';

/** Reads entities by ref, in order; undefined where one is missing or hidden. */
export type EntityReader = (
  refs: string[],
) => Promise<Array<Entity | undefined>>;

/** The walk's result, nearest dependents first. */
export interface Walk {
  dependents: BlastRadiusDependent[];
  truncated: boolean;
}

type Edge = { to: string; via: string; relation: BlastRadiusRelation };

// Entity names, namespaces and kinds are ASCII (the catalog validates
// them), so plain toLowerCase matches the catalog's en-US lower-casing; the
// locale-aware call was a sixth of a large walk's time.
const lower = (ref: string) => (/[A-Z]/.test(ref) ? ref.toLowerCase() : ref);

function targets(entity: Entity, type: string): string[] {
  return (entity.relations ?? [])
    .filter(r => r.type === type)
    .map(r => lower(r.targetRef));
}

/** Walks up to `maxDepth` levels from `start` (component refs). */
export async function walkDependents(
  start: string[],
  read: EntityReader,
  maxDepth: number,
): Promise<Walk> {
  const seen = new Set(start.map(lower));
  const found = new Map<string, BlastRadiusDependent>();
  // Systems are listed, not walked further: their other parts are not
  // dependents of the affected component.
  const leaves = new Set<string>();
  let frontier = [...seen];
  for (let depth = 0; frontier.length > 0; depth++) {
    const level = frontier;
    const entities = await read(level);
    entities.forEach((entity, i) => {
      const dependent = found.get(level[i]);
      if (entity && dependent) describe(dependent, entity);
    });
    const walkable = entities.filter(
      (e): e is Entity => !!e && !leaves.has(lower(stringifyEntityRef(e))),
    );
    const edges = await edgesOf(walkable, read);
    const fresh = edges.filter(e => !seen.has(e.to));
    if (depth === maxDepth) {
      return { dependents: [...found.values()], truncated: fresh.length > 0 };
    }
    frontier = [];
    for (const edge of fresh) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      frontier.push(edge.to);
      if (edge.relation === 'partOf') leaves.add(edge.to);
      found.set(edge.to, {
        entityRef: edge.to,
        kind: edge.to.split(':')[0],
        depth: depth + 1,
        via: edge.via,
        relation: edge.relation,
        owners: [],
      });
    }
  }
  return { dependents: [...found.values()], truncated: false };
}

/** The edges out of a level: dependents, API consumers, systems. */
async function edgesOf(entities: Entity[], read: EntityReader) {
  const edges: Edge[] = [];
  const provided: Array<{ api: string; from: string }> = [];
  for (const entity of entities) {
    const from = lower(stringifyEntityRef(entity));
    // One pass over the relations: levels can hold thousands of entities.
    for (const { type, targetRef } of entity.relations ?? []) {
      const to = lower(targetRef);
      if (type === RELATION_DEPENDENCY_OF) {
        edges.push({ to, via: from, relation: 'dependencyOf' });
      } else if (type === RELATION_PROVIDES_API) {
        provided.push({ api: to, from });
      } else if (type === RELATION_PART_OF && to.startsWith('system:')) {
        edges.push({ to, via: from, relation: 'partOf' });
      }
    }
  }
  if (provided.length > 0) {
    const apis = await read(provided.map(p => p.api));
    apis.forEach((api, i) => {
      for (const to of api ? targets(api, RELATION_API_CONSUMED_BY) : []) {
        edges.push({ to, via: provided[i].api, relation: 'apiConsumedBy' });
      }
    });
  }
  return edges;
}

function describe(dependent: BlastRadiusDependent, entity: Entity) {
  dependent.kind = entity.kind.toLocaleLowerCase('en-US');
  if (entity.metadata.title) dependent.title = entity.metadata.title;
  dependent.owners = targets(entity, RELATION_OWNED_BY);
}
