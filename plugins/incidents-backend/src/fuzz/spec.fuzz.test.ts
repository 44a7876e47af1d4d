/**
 * The spec-driven fuzz stage: for every operation in schema/openapi.yaml,
 * valid and mutated requests (wrong types, missing and extra fields, huge
 * and deeply nested values, bad refs, bad dates, control characters, NUL,
 * lone surrogates, bad JSON) generated with fast-check, sent over real HTTP
 * to the real plugin on a real database as a user, a service and nobody.
 *
 * Asserted for each response: no 5xx; the status is declared for the
 * operation; the body validates against the declared schema (ajv); and a
 * refused request (4xx) changes nothing in the database (a digest of every
 * table's rows before and after).
 *
 * Bounded: VIGIL_FUZZ_RUNS requests per operation and engine (default 30)
 * within VIGIL_FUZZ_BUDGET_SECONDS in all (default 240). The seed is
 * printed first and with any failure; VIGIL_FUZZ_SEED=<seed> replays.
 * VIGIL_FUZZ_ENGINES (default SQLITE_3,POSTGRES_15) picks the databases.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import Ajv2020 from 'ajv/dist/2020';
import { createHash } from 'node:crypto';
import { Server } from 'node:http';
import fc from 'fast-check';
import { Knex } from 'knex';
import request from 'supertest';
import { createTestApp } from '../__testUtils__/createTestApp';
import { createTestDatabases } from '../__testUtils__/databases';
import { spec } from '../schema/openapi.generated';
import { readIncidentsSettings } from '../settings';
import {
  BAD_DATES,
  BAD_REFS,
  getAt,
  isoDate,
  Mutation,
  MUTATIONS,
  NASTY_STRINGS,
  nodePaths,
  Schema,
  setAt,
  SpecSchemas,
  WRONG_TYPES,
} from '../__testUtils__/specArbitraries';

const SEED = process.env.VIGIL_FUZZ_SEED
  ? Number(process.env.VIGIL_FUZZ_SEED)
  : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.VIGIL_FUZZ_RUNS ?? 30);
const MIN_RUNS = Math.min(RUNS, 5);
const BUDGET_MS = Number(process.env.VIGIL_FUZZ_BUDGET_SECONDS ?? 240) * 1000;
const ENGINES = (process.env.VIGIL_FUZZ_ENGINES ?? 'SQLITE_3,POSTGRES_15')
  .split(',')
  .map(e => e.trim());

jest.setTimeout(BUDGET_MS + 120_000);

const ROUTING_KEY = 'fuzz-events-v2-routing-key';
const USERS = [
  'user:default/alice',
  'user:default/guest',
  'user:default/carol',
];
const ENTITIES = [
  'component:default/payments-api',
  'component:default/checkout-web',
  'component:default/edge-gateway',
  'group:default/sre',
  'group:default/team-payments',
  ...USERS,
];

const STATUS_COMPONENTS = [
  'component:default/payments-api',
  'component:default/checkout-web',
];
/** ISO timestamps between `fromDays` and `toDays` days from now. */
const dateIn = (fromDays: number, toDays: number) =>
  fc
    .integer({ min: fromDays * 86_400_000, max: toDays * 86_400_000 })
    .map(ms => new Date(Date.now() + ms).toISOString());

const settings = readIncidentsSettings(
  new ConfigReader({
    incidents: {
      oncall: {
        schedules: [
          {
            id: 'payments-primary',
            name: 'Payments primary',
            timeZone: 'Europe/Berlin',
            rotation: { type: 'weekly', handoffTime: '09:00' },
            members: ['user:default/carol', 'user:default/guest'],
            start: '2026-01-05',
          },
          {
            id: 'sre',
            name: 'SRE',
            timeZone: 'UTC',
            rotation: { type: 'daily', handoffTime: '08:00' },
            members: ['user:default/alice'],
            start: '2026-01-01',
          },
        ],
      },
      escalation: {
        pagingSeverities: ['sev1', 'sev2'],
        policies: [
          {
            id: 'platform',
            name: 'Platform',
            steps: [
              { targets: [{ schedule: 'sre' }], delayMinutes: 5 },
              {
                targets: [{ group: 'group:default/sre' }],
                delayMinutes: 10,
              },
            ],
          },
        ],
      },
      alerts: {
        openSeverities: ['sev1', 'sev2'],
        storm: { window: { seconds: 60 }, threshold: 3 },
        eventsV2: { routingKeys: [{ id: 'fuzz', key: ROUTING_KEY }] },
      },
      statusPage: {
        name: 'Fuzz Status',
        components: [
          { entityRef: 'component:default/payments-api', name: 'Payments' },
          { entityRef: 'component:default/checkout-web', name: 'Checkout' },
        ],
      },
      runbooks: [
        {
          title: 'Payments handbook',
          url: 'https://wiki.example.com/payments',
          components: ['payments-api'],
        },
      ],
    },
  }),
);

// ---- The spec's operations ---------------------------------------------------

type Param = { name: string; in: string; required?: boolean; schema: Schema };
type Operation = {
  operationId: string;
  method: string;
  path: string;
  params: Param[];
  body?: Schema;
  bodyRequired: boolean;
  responses: Record<string, any>;
  needsAuth: boolean;
};

const doc: any = spec;
const operations: Operation[] = [];
for (const [path, item] of Object.entries<any>(doc.paths)) {
  for (const [method, op] of Object.entries<any>(item)) {
    if (method === 'parameters') continue;
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
      (p: any) => (p.$ref ? resolvePointer(p.$ref) : p),
    );
    const security = op.security ?? doc.security ?? [];
    operations.push({
      operationId: op.operationId,
      method,
      path,
      params,
      body: op.requestBody?.content?.['application/json']?.schema,
      bodyRequired: !!op.requestBody?.required,
      responses: op.responses,
      needsAuth: security.some((s: any) => Object.keys(s).length > 0),
    });
  }
}

function resolvePointer(ref: string): any {
  return ref
    .slice(2)
    .split('/')
    .map(p => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((o, k) => o?.[k], doc);
}

// ---- Response validation -------------------------------------------------------

const ajv = new Ajv2020({ strict: false, allErrors: false });
ajv.addSchema(doc, 'spec');
const validators = new Map<string, ReturnType<Ajv2020['compile']>>();
function validatorFor(pointer: string) {
  let v = validators.get(pointer);
  if (!v) {
    v = ajv.getSchema(`spec#${pointer}`);
    if (!v) throw new Error(`no schema at ${pointer}`);
    validators.set(pointer, v);
  }
  return v;
}
const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Why `res` does not match the spec for `op`, or undefined when it does. */
function specMismatch(
  op: Operation,
  res: request.Response,
): string | undefined {
  const code = String(res.status);
  const key = [code, `${code[0]}XX`, 'default'].find(k => op.responses[k]);
  if (!key) return `status ${code} is not declared`;
  let response = op.responses[key];
  let base = `/paths/${esc(op.path)}/${op.method}/responses/${key}`;
  if (response.$ref) {
    base = response.$ref.slice(1);
    response = resolvePointer(response.$ref);
  }
  if (res.status === 304 || res.status === 204) return undefined;
  const content = response.content;
  if (!content) return undefined;
  const type = String(res.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  if (!content[type]) {
    return `content type '${type}' is not declared for ${key} (${Object.keys(
      content,
    ).join(', ')})`;
  }
  if (type !== 'application/json' || !content[type].schema) return undefined;
  const validate = validatorFor(`${base}/content/${esc(type)}/schema`);
  if (!validate(res.body)) {
    return `body does not match the ${key} schema: ${ajv.errorsText(
      validate.errors,
    )}`;
  }
  return undefined;
}

// ---- State digest ---------------------------------------------------------------

async function tableNames(knex: Knex): Promise<string[]> {
  const client = String(knex.client.config.client);
  const rows: Array<{ name: string }> = client.includes('sqlite')
    ? await knex.raw(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
      )
    : (
        await knex.raw(
          'select tablename as name from pg_tables where schemaname = current_schema()',
        )
      ).rows;
  return rows.map(r => r.name).sort();
}

/** A digest of every row of every table, per table. */
async function digest(knex: Knex, tables: string[]) {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const rows = await knex(t).select();
    const lines = rows.map(r => JSON.stringify(r)).sort();
    out[t] = createHash('sha1').update(lines.join('\n')).digest('hex');
  }
  return out;
}

// ---- Requests -----------------------------------------------------------------

type Caller = 'user' | 'service' | 'none';
type FuzzRequest = {
  method: string;
  path: string;
  query: Array<[string, string]>;
  body?: unknown;
  raw?: { contentType: string; text: string };
};

/** Percent-encodes, lone surrogates as their (WTF-8) bytes. */
function encode(value: string): string {
  let out = '';
  for (const ch of value) {
    const u = ch.charCodeAt(0);
    if (ch.length === 1 && u >= 0xd800 && u <= 0xdfff) {
      out += [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
        .map(b => `%${b.toString(16).toUpperCase()}`)
        .join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

const headerFor = (caller: Caller, user: string) => {
  if (caller === 'user') return mockCredentials.user.header(user);
  if (caller === 'service') return mockCredentials.service.header();
  return undefined;
};

function send(server: Server, req: FuzzRequest, auth?: string) {
  const qs = req.query.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const url = `${req.path}${qs ? `?${qs}` : ''}`;
  const agent = request(server) as any;
  let r: request.Test = agent[req.method](url);
  if (auth) r = r.set('Authorization', auth);
  if (req.raw) {
    r = r.set('Content-Type', req.raw.contentType).send(req.raw.text);
  } else if (req.body !== undefined) {
    r = r
      .set('Content-Type', 'application/json')
      .send(withDeepValues(JSON.stringify(req.body)));
  }
  return r;
}

const DEEP = '\u0001deep:';
const deepMarker = (depth: number, arrays: boolean) =>
  `${DEEP}${depth}:${arrays ? 'arrays' : 'objects'}`;

/** The JSON text with each deep marker replaced by that many nested levels. */
function withDeepValues(json: string): string {
  return json.replace(/"\\u0001deep:(\d+):(arrays|objects)"/g, (_m, d, kind) =>
    kind === 'arrays'
      ? `${'['.repeat(Number(d))}1${']'.repeat(Number(d))}`
      : `${'{"a":'.repeat(Number(d))}1${'}'.repeat(Number(d))}`,
  );
}

function describeRequest(req: FuzzRequest, caller: Caller): string {
  const body = req.raw
    ? `${req.raw.contentType} ${req.raw.text}`
    : JSON.stringify(req.body);
  const short = (s: string | undefined) =>
    s && s.length > 600 ? `${s.slice(0, 600)}… (${s.length} chars)` : s;
  return `${req.method.toUpperCase()} ${req.path} ${JSON.stringify(
    req.query.map(([k, v]) => [k, short(v)]),
  )} as ${caller}${body ? ` body ${short(body)}` : ''}`;
}

// ---- The fuzzer -----------------------------------------------------------------

const pools: Record<string, string[]> = {
  id: [],
  itemId: [],
  /** `incident id or ref|action item id`, for paths naming both. */
  item: [],
  scheduleId: settings.schedules.map(s => s.id),
  maintenanceId: [],
};

function harvest(op: Operation, body: any, incidentParam?: string) {
  const add = (pool: string, v: unknown) => {
    if (typeof v !== 'string' || pools[pool].includes(v)) return;
    pools[pool].push(v);
    if (pools[pool].length > 40) pools[pool].splice(0, 1);
  };
  if (!body || typeof body !== 'object') return;
  if (typeof body.ref === 'string' && /^INC-\d+$/.test(body.ref)) {
    add('id', body.ref);
    add('id', body.id);
  }
  if (op.operationId === 'AddActionItem') {
    add('itemId', body.id);
    if (typeof incidentParam === 'string')
      add('item', `${incidentParam}|${body.id}`);
  }
  if (op.operationId === 'ScheduleMaintenance') add('maintenanceId', body.id);
  for (const item of body.actionItems ?? []) add('itemId', item?.id);
}

const schemas = new SpecSchemas(doc, {
  entityRefs: ENTITIES,
  userRefs: USERS,
  byName: {
    '.routing_key': fc.oneof(
      { weight: 4, arbitrary: fc.constant(ROUTING_KEY) },
      fc.string(),
    ),
    '.cursor': fc.constant(undefined),
    '.owner[]': fc.constantFrom(
      'group:default/sre',
      'group:default/team-payments',
    ),
    '.participant': fc.constantFrom(...USERS),
    '.entityRef': fc.constantFrom(...STATUS_COMPONENTS, ...ENTITIES),
    '.components[]': fc.constantFrom(...STATUS_COMPONENTS),
    '.from': dateIn(-300, -30),
    '.to': dateIn(-5, 5),
    '.start': dateIn(0, 10),
    '.end': dateIn(11, 30),
    '.scheduledFor': dateIn(1, 10),
    '.scheduledUntil': dateIn(11, 20),
    '.startsAt': isoDate(),
    '.endsAt': isoDate(),
    '.timestamp': isoDate(),
  },
});

/** Free-form bodies the spec leaves open (alerts), as senders send them. */
const genericAlert = fc.record(
  {
    source: fc.constantFrom('grafana', 'datadog', 'fuzz'),
    fingerprint: fc.string({ minLength: 1, maxLength: 20 }),
    status: fc.constantFrom('firing', 'resolved'),
    severity: fc.constantFrom('sev1', 'sev2', 'sev3', 'critical', 'warning'),
    title: fc.lorem({ maxCount: 4 }),
    description: fc.lorem(),
    entityRef: fc.constantFrom(...ENTITIES.slice(0, 3)),
    labels: fc.dictionary(
      fc.lorem({ maxCount: 1 }),
      fc.lorem({ maxCount: 1 }),
      {
        maxKeys: 3,
      },
    ),
    tags: fc.array(fc.lorem({ maxCount: 1 }), { maxLength: 3 }),
    startsAt: isoDate(),
  },
  { requiredKeys: ['source', 'fingerprint', 'status', 'severity', 'title'] },
);
const alertmanagerAlert = fc.record({
  status: fc.constantFrom('firing', 'resolved'),
  labels: fc.record({
    alertname: fc.constantFrom('HighErrorRate', 'Latency'),
    service: fc.constantFrom('payments-api', 'checkout-web', 'unknown'),
    severity: fc.constantFrom('critical', 'warning', 'info'),
  }),
  annotations: fc.record({ summary: fc.lorem({ maxCount: 5 }) }),
  startsAt: isoDate(),
  endsAt: fc.constant('0001-01-01T00:00:00Z'),
  fingerprint: fc.stringMatching(/^[0-9a-f]{8,16}$/),
});
const bodyOverrides: Record<string, fc.Arbitrary<unknown>> = {
  PostAlerts: fc.oneof(
    genericAlert,
    fc.array(genericAlert, { minLength: 1, maxLength: 5 }),
  ),
  PostAlertmanagerWebhook: fc.record({
    version: fc.constant('4'),
    groupKey: fc.string({ minLength: 1, maxLength: 30 }),
    status: fc.constantFrom('firing', 'resolved'),
    receiver: fc.constantFrom('vigil', 'team'),
    truncatedAlerts: fc.constant(0),
    alerts: fc.array(alertmanagerAlert, { minLength: 1, maxLength: 4 }),
  }),
  PostEventsV2: fc.record(
    {
      routing_key: fc.oneof(
        { weight: 5, arbitrary: fc.constant(ROUTING_KEY) },
        fc.string(),
      ),
      event_action: fc.constantFrom('trigger', 'acknowledge', 'resolve'),
      dedup_key: fc.string({ minLength: 1, maxLength: 20 }),
      payload: fc.record({
        summary: fc.lorem({ maxCount: 5 }),
        source: fc.constantFrom('host-1', 'payments-api'),
        severity: fc.constantFrom('critical', 'error', 'warning', 'info'),
        timestamp: isoDate(),
        component: fc.constantFrom('payments-api', 'checkout-web'),
        custom_details: fc.jsonValue({ maxDepth: 2 }),
      }),
    },
    { requiredKeys: ['routing_key', 'event_action', 'payload'] },
  ),
};

type Run = {
  caller: Caller;
  user: string;
  mutation?: Mutation;
  body: unknown;
  query: Record<string, unknown>;
  pathPicks: number[];
  pick: number;
  pick2: number;
};

function runArbitrary(op: Operation): fc.Arbitrary<Run> {
  const queryParams = op.params.filter(p => p.in === 'query');
  const queryModel: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of queryParams) {
    queryModel[p.name] = schemas.valid(p.schema, p.name);
  }
  const bodyArb = op.body
    ? bodyOverrides[op.operationId] ?? schemas.valid(op.body)
    : fc.constant(undefined);
  return fc.record({
    caller: op.needsAuth
      ? fc.constantFrom<Caller>('user', 'user', 'service', 'service', 'none')
      : fc.constantFrom<Caller>('user', 'none'),
    user: fc.constantFrom(...USERS),
    mutation: fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      { weight: 6, arbitrary: fc.constantFrom(...MUTATIONS) },
    ),
    body: bodyArb,
    query: fc.record(queryModel, {
      requiredKeys: queryParams.filter(p => p.required).map(p => p.name),
    }),
    pathPicks: fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
    pick: fc.nat(),
    pick2: fc.nat(),
  });
}

function queryPairs(query: Record<string, unknown>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.push([k, String(x)]);
    else out.push([k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  }
  return out;
}

/** The request of a run: valid, or with one mutation applied. */
function buildRequest(op: Operation, run: Run): FuzzRequest {
  const pathParams = op.params.filter(p => p.in === 'path');
  let pathValues = pathParams.map((p, i) => {
    const pool = pools[p.name] ?? [];
    return pool.length
      ? pool[run.pathPicks[i] % pool.length]
      : `missing-${p.name}`;
  });
  // An action item with its own incident.
  const itemAt = pathParams.findIndex(p => p.name === 'itemId');
  if (itemAt >= 0 && pools.item.length && run.pathPicks[2] % 4 !== 0) {
    const [incident, item] =
      pools.item[run.pathPicks[2] % pools.item.length].split('|');
    pathValues = pathParams.map((p, i) => {
      if (p.name === 'id') return incident;
      return i === itemAt ? item : pathValues[i];
    });
  }
  let query = queryPairs(run.query);
  let body = run.body;
  let raw: FuzzRequest['raw'];
  const m = run.mutation;
  // Where the mutation lands: the body when there is one, else the query,
  // else the path; sometimes the query or path even with a body.
  const targets = [
    ...(op.body ? ['body', 'body'] : []),
    ...(query.length || op.params.some(p => p.in === 'query') ? ['query'] : []),
    ...(pathParams.length ? ['path'] : []),
  ];
  const target = targets.length ? targets[run.pick2 % targets.length] : 'none';
  const pickFrom = <T>(xs: readonly T[]) => xs[run.pick2 % xs.length];

  if (m === 'badJson' && op.body) {
    raw = pickFrom([
      { contentType: 'application/json', text: '{"title": ' },
      { contentType: 'application/json', text: '' },
      { contentType: 'text/plain', text: 'hello' },
      { contentType: 'application/json', text: '[1,2,' },
      { contentType: 'application/x-www-form-urlencoded', text: 'a=1&b=2' },
    ]);
  } else if (m && target === 'body') {
    body = mutateJson(body, m, run.pick);
  } else if (m && target === 'query') {
    query = mutateQuery(op, query, m, run.pick);
  } else if (m && target === 'path') {
    const i = run.pick % pathValues.length;
    pathValues = pathValues.map((v, j) =>
      j === i ? mutateString(v, m, run.pick) : v,
    );
  }
  let path = op.path;
  pathParams.forEach((p, i) => {
    path = path.replace(`{${p.name}}`, encode(pathValues[i]));
  });
  return { method: op.method, path, query, body, raw };
}

function mutateString(value: string, m: Mutation, pick: number): string {
  // An empty path segment would be another route, not this operation.
  const nonEmpty = (xs: string[]) => xs.filter(x => x !== '');
  switch (m) {
    case 'badRef':
    case 'wrongType':
      return BAD_REFS[pick % BAD_REFS.length];
    case 'badDate':
      return nonEmpty(BAD_DATES)[pick % nonEmpty(BAD_DATES).length];
    case 'controlChars':
      return `${value}${NASTY_STRINGS[pick % NASTY_STRINGS.length]}`;
    case 'huge':
      return 'h'.repeat(4000 + (pick % 4000));
    default:
      return value;
  }
}

function mutateQuery(
  op: Operation,
  query: Array<[string, string]>,
  m: Mutation,
  pick: number,
): Array<[string, string]> {
  const names = op.params.filter(p => p.in === 'query').map(p => p.name);
  const name = names.length ? names[pick % names.length] : 'q';
  const rest = query.filter(([k]) => k !== name);
  switch (m) {
    case 'missingField':
      return query.length
        ? query.filter((_, i) => i !== pick % query.length)
        : query;
    case 'extraField':
      return [...query, ['fuzzExtra', 'x']];
    case 'wrongType':
      return [
        ...rest,
        ...(pick % 2
          ? ([
              [name, 'abc'],
              [name, '-1'],
            ] as Array<[string, string]>)
          : ([[name, pick % 3 ? '1.5' : '{}']] as Array<[string, string]>)),
      ];
    case 'deepNest':
      return [...rest, [`${name}${'[a]'.repeat(40)}`, '1']];
    case 'huge':
      return [...rest, [name, 'q'.repeat(6000)]];
    default:
      return [...rest, [name, mutateString('', m, pick)]];
  }
}

/** A long array, a string over the body limits, or an integer past 2^53. */
function hugeValue(pick: number): unknown {
  if (pick % 3 === 0) {
    return Array.from({ length: 5000 + (pick % 5000) }, (_, i) => i);
  }
  if (pick % 3 === 1) return 'H'.repeat(150_000 + (pick % 2_000_000));
  return 2 ** 53 + 1 + (pick % 7);
}

function mutateJson(body: unknown, m: Mutation, pick: number): unknown {
  const paths = nodePaths(body);
  const path = paths[pick % paths.length];
  const node = getAt(body, path);
  const objects = paths.filter(p => {
    const n = getAt(body, p);
    return n && typeof n === 'object' && !Array.isArray(n);
  });
  const keyed = paths.filter(p => p.length > 0);
  const strings = paths.filter(p => typeof getAt(body, p) === 'string');
  const stringPath = strings.length ? strings[pick % strings.length] : path;
  switch (m) {
    case 'wrongType': {
      const wrong = WRONG_TYPES.filter(w => typeof w !== typeof node);
      return setAt(body, path, wrong[pick % wrong.length]);
    }
    case 'missingField':
      return keyed.length
        ? setAt(body, keyed[pick % keyed.length], undefined, true)
        : undefined;
    case 'extraField': {
      if (!objects.length) return [body, { fuzzExtra: true }];
      return setAt(body, [...objects[pick % objects.length], 'fuzzExtra'], {
        nested: 'x',
      });
    }
    case 'huge':
      return setAt(body, path, hugeValue(pick));
    case 'deepNest':
      // Serialised by send (JSON.stringify itself overflows the stack).
      return setAt(
        body,
        path,
        deepMarker(3000 + (pick % 3000), pick % 2 === 0),
      );
    case 'badRef':
      return setAt(body, stringPath, BAD_REFS[pick % BAD_REFS.length]);
    case 'badDate':
      return setAt(body, stringPath, BAD_DATES[pick % BAD_DATES.length]);
    case 'controlChars':
      // Every string at once, each with its own nasty character.
      return strings.reduce(
        (b, p, i) =>
          setAt(
            b,
            p,
            `${stringOrEmpty(getAt(b, p))}${
              NASTY_STRINGS[(pick + i) % NASTY_STRINGS.length]
            }`,
          ),
        body,
      );
    default:
      return body;
  }
}

// ---- The stage ----------------------------------------------------------------

const databases = createTestDatabases();
const engines = databases
  .eachSupportedId()
  .filter(([id]) => ENGINES.includes(id));
const perOperationMs = Math.max(
  1000,
  Math.floor(BUDGET_MS / Math.max(1, operations.length * engines.length)),
);
const tally: Record<string, Record<string, number>> = {};

beforeAll(() => {
  // eslint-disable-next-line no-console
  console.log(
    `spec fuzz: seed ${SEED} (replay with VIGIL_FUZZ_SEED=${SEED}); ${
      operations.length
    } operations × ${RUNS} runs on ${engines
      .map(([id]) => id)
      .join(', ')}; at most ${perOperationMs} ms per operation`,
  );
});

afterAll(() => {
  const rows = Object.entries(tally).map(
    ([k, t]) =>
      `${k.padEnd(42)} ${String(t.requests).padStart(4)} sent ${String(
        t['2xx'] ?? 0,
      ).padStart(4)} 2xx ${String(t['4xx'] ?? 0).padStart(4)} 4xx`,
  );
  const total = Object.values(tally).reduce((a, t) => a + t.requests, 0);
  // eslint-disable-next-line no-console
  console.log(
    `spec fuzz: ${total} requests (seed ${SEED})\n${rows.join('\n')}`,
  );
});

describe.each(engines)('spec fuzz on %p', databaseId => {
  let knex: Knex;
  let server: Server;
  let tables: string[];
  let escalationTick: () => Promise<unknown>;

  beforeAll(async () => {
    knex = await databases.init(databaseId);
    const app = await createTestApp(knex, {
      schedules: settings.schedules,
      escalation: settings.escalation,
      alerts: settings.alerts,
      statusPage: settings.statusPage,
      runbooks: settings.runbooks,
    });
    escalationTick = () => app.escalation.tick();
    server = await new Promise<Server>(resolve => {
      const s = app.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    tables = await tableNames(knex);
    pools.id.length = 0;
    pools.itemId.length = 0;
    pools.item.length = 0;
    pools.maintenanceId.length = 0;
    await seedState(server);
    await escalationTick();
  });

  afterAll(async () => {
    await new Promise(resolve => server?.close(resolve));
  });

  it.each(operations.map(o => [o.operationId, o] as const))(
    '%s: no 5xx, answers as the spec says, a refused request changes nothing',
    async (_name, op) => {
      const key = `${op.operationId} (${databaseId})`;
      const counts = (tally[key] = { requests: 0 });
      const deadline = Date.now() + perOperationMs;
      const opSeed = (SEED ^ hashString(`${op.operationId}:${databaseId}`)) | 0;
      try {
        await fc.assert(
          fc.asyncProperty(runArbitrary(op), async run => {
            // The time budget: runs past it send nothing. (fast-check's own
            // interruptAfterTimeLimit would leave a request in flight while
            // the next operation takes its snapshot.)
            // At least MIN_RUNS requests even on a slow machine.
            if (Date.now() > deadline && counts.requests >= MIN_RUNS) return;
            const req = buildRequest(op, run);
            const before = await digest(knex, tables);
            const res = await send(
              server,
              req,
              headerFor(run.caller, run.user),
            );
            counts.requests += 1;
            const cls = `${String(res.status)[0]}xx`;
            (counts as any)[cls] = ((counts as any)[cls] ?? 0) + 1;
            const what = () => describeRequest(req, run.caller);
            if (res.status >= 500) {
              throw new Error(
                `${res.status} for ${what()}: ${res.text.slice(0, 500)}`,
              );
            }
            const mismatch = specMismatch(op, res);
            if (mismatch) {
              throw new Error(
                `${mismatch} for ${what()}: ${res.text.slice(0, 500)}`,
              );
            }
            if (
              process.env.VIGIL_FUZZ_DEBUG &&
              !run.mutation &&
              run.caller === 'user' &&
              res.status >= 400
            ) {
              // eslint-disable-next-line no-console
              console.log(
                `valid but ${res.status}: ${what()}: ${res.text.slice(0, 300)}`,
              );
            }
            if (res.status >= 400) {
              const after = await digest(knex, tables);
              const changed = tables.filter(t => before[t] !== after[t]);
              if (changed.length) {
                throw new Error(
                  `refused (${res.status}) but changed ${changed.join(
                    ', ',
                  )}: ${what()}: ${res.text.slice(0, 300)}`,
                );
              }
            } else {
              harvest(op, res.body, safeDecode(req.path.split('/')[2] ?? ''));
            }
          }),
          {
            seed: opSeed,
            numRuns: RUNS,
            endOnFailure: true,
          },
        );
      } catch (error) {
        throw new Error(
          `spec fuzz of ${
            op.operationId
          } on ${databaseId} failed; replay with VIGIL_FUZZ_SEED=${SEED}\n${
            (error as Error).message
          }\n${(error as any).cause?.stack ?? ''}`,
        );
      }
      expect(counts.requests).toBeGreaterThan(0);
    },
  );
});

function stringOrEmpty(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function hashString(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++)
    h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Incidents, action items, a postmortem and a maintenance to aim at. */
async function seedState(server: Server) {
  const as = mockCredentials.user.header('user:default/alice');
  const post = (path: string, body: unknown, method = 'post') =>
    (request(server) as any)
      [method](path)
      .set('Authorization', as)
      .send(body as object)
      .then((res: request.Response) => {
        if (res.status >= 300) {
          throw new Error(`seeding ${path}: ${res.status} ${res.text}`);
        }
        return res.body;
      });
  const incidents = [];
  for (const [title, severity, svc] of [
    ['Payments down', 'sev1', 'component:default/payments-api'],
    ['Checkout slow', 'sev3', 'component:default/checkout-web'],
    ['Edge errors', 'sev2', 'component:default/edge-gateway'],
  ]) {
    const inc = await post('/incidents', {
      title,
      severity,
      affectedServices: [svc],
    });
    pools.id.push(inc.ref, inc.id);
    incidents.push(inc);
  }
  const item = await post(`/incidents/${incidents[0].ref}/action-items`, {
    title: 'Add a retry',
    owner: 'user:default/alice',
  });
  pools.itemId.push(item.id);
  pools.item.push(`${incidents[0].ref}|${item.id}`);
  await post(`/incidents/${incidents[1].ref}/status`, { status: 'resolved' });
  await post(`/incidents/${incidents[1].ref}/postmortem`, {});
  const start = new Date(Date.now() + 86_400_000);
  const maintenance = await post('/status-page/maintenances', {
    name: 'Database upgrade',
    components: ['component:default/payments-api'],
    scheduledFor: start.toISOString(),
    scheduledUntil: new Date(start.getTime() + 3_600_000).toISOString(),
  });
  pools.maintenanceId.push(maintenance.id);
}
