import fc from 'fast-check';

/**
 * fast-check arbitraries from the OpenAPI spec's JSON Schemas, for the
 * spec-driven fuzz stage (spec.fuzz.test.ts).
 *
 * Written here rather than taken from npm: json-schema-fast-check (the only
 * fast-check generator there) is a single 0.0.6 release built on
 * fast-check 1.x, and json-schema-faker has its own random source (no
 * seed replay through fast-check, no shrinking). The spec uses a small set
 * of keywords (type, enum, properties, required, additionalProperties,
 * items, min/max, minLength/maxLength, minItems/maxItems, minProperties,
 * pattern, oneOf, allOf, $ref), which this covers.
 */

export type Schema = Record<string, any>;

/** Values the backend knows (catalog refs, ids), so valid requests reach deep. */
export interface Hints {
  entityRefs: string[];
  userRefs: string[];
  /** Arbitraries for named component schemas or property names. */
  byName?: Record<string, fc.Arbitrary<unknown>>;
}

const MAX_DEPTH = 6;

export class SpecSchemas {
  constructor(readonly doc: any, readonly hints: Hints) {}

  /** Follows `$ref`s (local JSON pointers only, as the spec uses). */
  resolve(schema: Schema): Schema {
    let s = schema;
    for (let i = 0; s && s.$ref && i < 20; i++) {
      s = this.pointer(s.$ref);
    }
    return s;
  }

  pointer(ref: string): any {
    if (!ref.startsWith('#/')) throw new Error(`unsupported $ref ${ref}`);
    return ref
      .slice(2)
      .split('/')
      .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce((o, k) => o?.[k], this.doc);
  }

  /** Neither an object nor an array: where hints by property name apply. */
  isScalar(schema: Schema): boolean {
    const type = this.merged(schema ?? {}).type;
    return type !== 'object' && type !== 'array';
  }

  /** allOf merged into one object schema (properties, required and the rest). */
  merged(schema: Schema): Schema {
    const s = this.resolve(schema);
    if (!s.allOf) return s;
    const out: Schema = { ...s, allOf: undefined };
    const props: Record<string, Schema> = { ...(s.properties ?? {}) };
    const required = new Set<string>(s.required ?? []);
    for (const part of s.allOf) {
      const p = this.merged(part);
      Object.assign(props, p.properties ?? {});
      for (const r of p.required ?? []) required.add(r);
      for (const [k, v] of Object.entries(p)) {
        if (!['properties', 'required', 'allOf'].includes(k) && !(k in out)) {
          out[k] = v;
        }
      }
    }
    if (!out.type && Object.keys(props).length) out.type = 'object';
    out.properties = props;
    out.required = [...required];
    return out;
  }

  /** An arbitrary of values valid against `schema` (as far as generation goes). */
  valid(schema: Schema, name?: string, depth = 0): fc.Arbitrary<unknown> {
    const refName = schema?.$ref
      ? String(schema.$ref).split('/').pop()
      : undefined;
    const byName = this.hints.byName ?? {};
    if (refName && byName[refName]) return byName[refName];
    if (name && byName[`.${name}`] && this.isScalar(schema)) {
      return byName[`.${name}`];
    }
    if (refName === 'EntityRef') {
      return fc.constantFrom(...this.hints.entityRefs);
    }
    if (refName === 'UserRef') return fc.constantFrom(...this.hints.userRefs);
    const s = this.merged(schema ?? {});
    if (s.enum) return fc.constantFrom(...s.enum);
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.oneOf || s.anyOf) {
      return fc.oneof(
        ...(s.oneOf ?? s.anyOf).map((o: Schema) => this.valid(o, name, depth)),
      );
    }
    const type = Array.isArray(s.type)
      ? fc.constantFrom(...s.type)
      : fc.constant(s.type ?? (s.properties ? 'object' : 'any'));
    return type.chain(t => this.ofType(s, t, name, depth));
  }

  private ofType(
    s: Schema,
    type: string,
    name: string | undefined,
    depth: number,
  ): fc.Arbitrary<unknown> {
    switch (type) {
      case 'null':
        return fc.constant(null);
      case 'boolean':
        return fc.boolean();
      case 'integer':
        return fc.integer({
          min: s.minimum ?? -1000,
          max: Math.min(s.maximum ?? 1000, 2_147_483_647),
        });
      case 'number':
        return fc.double({
          min: s.minimum ?? -1e6,
          max: s.maximum ?? 1e6,
          noNaN: true,
          noDefaultInfinity: true,
        });
      case 'string':
        return this.string(s, name);
      case 'array': {
        const max = Math.min(s.maxItems ?? 4, 4);
        return fc.array(this.valid(s.items ?? {}, `${name}[]`, depth + 1), {
          minLength: Math.min(s.minItems ?? 0, max),
          maxLength: Math.max(max, s.minItems ?? 0),
        });
      }
      case 'object':
        return this.object(s, depth);
      default:
        return depth >= MAX_DEPTH ? fc.string() : jsonValue(2);
    }
  }

  private string(s: Schema, name?: string): fc.Arbitrary<string> {
    const min = s.minLength ?? 0;
    const max = s.maxLength ?? 60;
    const fits = (v: string) => v.length >= min && v.length <= max;
    if (s.pattern) {
      if (s.pattern === '^\\d{4}-\\d{2}-\\d{2}$') {
        return isoDate().map(d => d.slice(0, 10));
      }
      const re = new RegExp(s.pattern);
      return fc
        .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.lorem())
        .filter(v => re.test(v) && fits(v));
    }
    const lower = (name ?? '').toLowerCase();
    if (/url|link|href/.test(lower) || /http\(s\) URL/.test(s.description)) {
      return fc.webUrl({ withQueryParameters: true }).filter(fits);
    }
    if (
      /(at|date|from|to|until|for|since|start|end|time|timestamp)$/.test(lower)
    ) {
      return isoDate().filter(fits);
    }
    return fc
      .oneof(
        { weight: 3, arbitrary: fc.lorem({ maxCount: 4 }) },
        fc.string({ maxLength: Math.min(max, 40) }),
        fc.string({ unit: 'grapheme', maxLength: Math.min(max, 20) }),
      )
      .map(v => (v.length < min ? v.padEnd(min, 'x') : v.slice(0, max)))
      .filter(fits);
  }

  private object(s: Schema, depth: number): fc.Arbitrary<unknown> {
    const props = s.properties ?? {};
    const keys = Object.keys(props);
    if (!keys.length) {
      if (
        s.additionalProperties &&
        typeof s.additionalProperties === 'object'
      ) {
        return fc.dictionary(
          fc.lorem({ maxCount: 1 }),
          this.valid(s.additionalProperties, undefined, depth + 1),
          { maxKeys: 3, minKeys: s.minProperties ?? 0 },
        );
      }
      return depth >= MAX_DEPTH
        ? fc.constant({})
        : (fc.dictionary(fc.lorem({ maxCount: 1 }), jsonValue(2), {
            maxKeys: 4,
            minKeys: s.minProperties ?? 0,
          }) as fc.Arbitrary<unknown>);
    }
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const k of keys) model[k] = this.valid(props[k], k, depth + 1);
    const required = (s.required ?? []).filter((k: string) => k in model);
    const rec = fc.record(model, { requiredKeys: required });
    return s.minProperties
      ? rec.filter(o => Object.keys(o).length >= s.minProperties)
      : rec;
  }
}

/** Small free-form JSON. */
export function jsonValue(maxDepth: number): fc.Arbitrary<unknown> {
  return fc.jsonValue({ maxDepth, depthSize: 'small' });
}

/** ISO 8601 timestamps within a few years of now. */
export function isoDate(): fc.Arbitrary<string> {
  const now = Date.now();
  return fc
    .integer({ min: now - 400 * 86_400_000, max: now + 400 * 86_400_000 })
    .map(t => new Date(t).toISOString());
}

// ---- Mutations -------------------------------------------------------------

export const MUTATIONS = [
  'wrongType',
  'missingField',
  'extraField',
  'huge',
  'deepNest',
  'badRef',
  'badDate',
  'controlChars',
  'badJson',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

export const BAD_REFS = [
  'payments-api',
  ':::',
  'component:',
  'user:default/',
  ':default/x',
  'group:default/nobody-at-all',
  'component:default/does-not-exist',
  'user:default/000',
  '000',
  'INC-99999',
  'INC-0',
  '../../etc/passwd',
  '%',
  'r'.repeat(300),
];
export const BAD_DATES = [
  '2026-02-30',
  '0000-00-00',
  '2026-13-45',
  'yesterday',
  '2026-02-30T25:61:00Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.001Z',
  '',
  '1e400',
];
export const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\u0007\u001b[31mred',
  '\u202eevil',
  ' \t\n ',
  '\uffff',
];
export const WRONG_TYPES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  9007199254740993,
  1e308,
  true,
  'string',
  [],
  ['a'],
  {},
  { a: 1 },
];

/** Every path (object keys, array indices) to a node inside `value`. */
export function nodePaths(value: unknown, prefix: (string | number)[] = []) {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) {
    value.forEach((v, i) => out.push(...nodePaths(v, [...prefix, i])));
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(...nodePaths(v, [...prefix, k]));
    }
  }
  return out;
}

export function getAt(value: any, path: (string | number)[]): any {
  return path.reduce((o, k) => o?.[k], value);
}

/** A copy of `value` with the node at `path` replaced (or removed). */
export function setAt(
  value: any,
  path: (string | number)[],
  next: unknown,
  remove = false,
): any {
  if (!path.length) return next;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  const [head, ...rest] = path;
  if (!rest.length) {
    if (remove) {
      if (Array.isArray(copy)) copy.splice(Number(head), 1);
      else delete copy[head];
    } else copy[head] = next;
    return copy;
  }
  copy[head] = setAt(copy[head], rest, next, remove);
  return copy;
}
