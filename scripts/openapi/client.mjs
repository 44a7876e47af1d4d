// Writes apis/DefaultApi.client.ts: one method per operation, typed through
// the `operations` interface that openapi-typescript generates (models/), so
// no schema is turned into TypeScript here. The runtime part is small: the
// path with its parameters encoded, the query string (arrays repeat their
// key: OpenAPI's form style, exploded), a JSON body and a bearer token.
import { listOperations } from './spec.mjs';

const camelCase = id => id.charAt(0).toLowerCase() + id.slice(1);

/** Free text in lines of at most `width` characters. */
function wrap(text, width) {
  const lines = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + word.length < width) {
      lines[last] += ` ${word}`;
    } else {
      lines.push(word);
    }
  }
  return lines;
}

/** A JSDoc block from free text, safe to embed. */
function docComment(lines, indent = '') {
  const body = lines
    .filter(Boolean)
    .flatMap(line => wrap(String(line).replace(/\*\//g, '*\\/'), 74));
  return [`${indent}/**`, ...body.map(l => `${indent} * ${l}`.trimEnd())]
    .concat(`${indent} */`)
    .join('\n');
}

/** The TypeScript of one operation's request object. */
function requestType({ operation, parameters }) {
  const id = operation.operationId;
  const op = `operations['${id}']`;
  const fields = [];
  if (parameters.some(p => p.in === 'path')) {
    fields.push(`path: ${op}['parameters']['path'];`);
  }
  const query = parameters.filter(p => p.in === 'query');
  if (query.length) {
    const optional = query.some(p => p.required) ? '' : '?';
    fields.push(`query${optional}: ${op}['parameters']['query'];`);
  }
  const body = operation.requestBody;
  if (body?.content?.['application/json']) {
    const optional = body.required ? '' : '?';
    fields.push(
      `body${optional}: NonNullable<${op}['requestBody']>['content']['application/json'];`,
    );
  }
  const required = fields.some(f => !/^\w+\?/.test(f));
  return {
    required,
    source: `${docComment([`The request of \`${id}\`.`, '@public'])}
export type ${id} = {${fields.length ? `\n  ${fields.join('\n  ')}\n` : ''}};`,
  };
}

/** The 2xx JSON bodies of an operation, or `void` when it answers none. */
function responseType({ operation }) {
  const id = operation.operationId;
  const bodies = Object.entries(operation.responses ?? {})
    .filter(([code, res]) => /^2\d\d$/.test(code) && res.content)
    .filter(([, res]) => res.content['application/json'])
    .map(
      ([code]) =>
        `operations['${id}']['responses'][${code}]['content']['application/json']`,
    );
  return bodies.length ? bodies.join(' | ') : 'void';
}

/** The template literal of the request's URI (path and query string). */
function uriExpression({ path, parameters }) {
  const withParams = path.replace(
    /\{([^}]+)\}/g,
    (_, name) => `\${encodeURIComponent(String(request.path.${name}))}`,
  );
  const names = parameters.filter(p => p.in === 'query').map(p => p.name);
  const query = names.length
    ? `\${queryString(request.query, ${JSON.stringify(names)})}`
    : '';
  return `\`${withParams}${query}\``;
}

function method(entry, required) {
  const { operation } = entry;
  const id = operation.operationId;
  const body = operation.requestBody?.content?.['application/json']
    ? 'request.body'
    : 'undefined';
  const usesRequest =
    entry.parameters.some(p => p.in === 'path' || p.in === 'query') ||
    body !== 'undefined';
  const param = usesRequest ? 'request' : '_request';
  return `${docComment(
    [operation.description ?? operation.summary ?? id],
    '  ',
  )}
  public async ${camelCase(id)}(
    ${param}: ${id}${required ? '' : ' = {}'},
    options?: RequestOptions,
  ): Promise<TypedResponse<${responseType(entry)}>> {
    return this.send('${entry.method.toUpperCase()}', ${uriExpression(
    entry,
  )}, ${body}, options);
  }`;
}

const runtime = `
/**
 * Wraps the Response type to convey a type on the json call.
 * @public
 */
export type TypedResponse<T> = Omit<Response, 'json'> & {
  json: () => Promise<T>;
};

/**
 * Options you can pass into a request for additional information.
 * @public
 */
export interface RequestOptions {
  /** A Backstage token, sent as \`Authorization: Bearer <token>\`. */
  token?: string;
}

type QueryValue = string | number | boolean | ReadonlyArray<string | number | boolean>;

/** \`?a=1&b=x&b=y\` in the spec's parameter order; arrays repeat the key. */
function queryString(
  query: { [name: string]: QueryValue | undefined } | undefined,
  names: readonly string[],
): string {
  const params = new URLSearchParams();
  for (const name of names) {
    const value = query?.[name];
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(name, String(item));
    }
  }
  const qs = params.toString();
  return qs ? \`?\${qs}\` : '';
}
`;

const clientClass = (title, methods) => `
/**
 * The \`${title}\` HTTP API, one method per operation of its openapi.yaml.
 * Answers are returned as they come, whatever their status.
 * @public
 */
export class DefaultApiClient {
  private readonly discoveryApi: {
    getBaseUrl(pluginId: string): Promise<string>;
  };
  private readonly fetchApi: { fetch: typeof fetch };

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    // The global fetch, called unbound: browsers refuse it as a method.
    this.fetchApi = options.fetchApi ?? { fetch: (input, init) => fetch(input, init) };
  }

${methods.join('\n\n')}

  private async send<T>(
    method: string,
    uri: string,
    body: unknown,
    options: RequestOptions | undefined,
  ): Promise<TypedResponse<T>> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (options?.token) headers.Authorization = \`Bearer \${options.token}\`;
    const init: RequestInit = { method };
    if (Object.keys(headers).length) init.headers = headers;
    if (body !== undefined) init.body = JSON.stringify(body);
    return this.fetchApi.fetch(\`\${baseUrl}\${uri}\`, init);
  }
}
`;

/** The source of apis/DefaultApi.client.ts for a parsed spec. */
export function clientSource(spec) {
  const operations = listOperations(spec);
  const types = [];
  const methods = [];
  for (const entry of operations) {
    const { required, source } = requestType(entry);
    types.push(source);
    methods.push(method(entry, required));
  }
  return `import { pluginId } from '../pluginId';
import type { operations } from '../models';
${runtime}
${types.join('\n\n')}
${clientClass(spec.info?.title ?? 'backend', methods)}`;
}

/** The operation ids the client has methods for, in spec order. */
export function operationIds(spec) {
  return listOperations(spec).map(e => e.operation.operationId);
}
