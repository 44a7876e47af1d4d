// Reading openapi.yaml, and the two views of it the generators need.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'patch',
  'delete',
  'head',
  'options',
];

/** The spec as written, with YAML merge keys (`<<: *anchor`) applied. */
export function readSpec(yamlPath) {
  return parse(readFileSync(yamlPath, 'utf8'), { merge: true });
}

/**
 * Path-level parameters are valid OpenAPI, but the router's type inference
 * reads only operation-level ones: copy them onto each operation.
 */
export function inlinePathParameters(spec) {
  for (const item of Object.values(spec.paths ?? {})) {
    const shared = item.parameters;
    if (!shared) continue;
    delete item.parameters;
    for (const [method, operation] of Object.entries(item)) {
      if (HTTP_METHODS.includes(method)) {
        operation.parameters = [...shared, ...(operation.parameters ?? [])];
      }
    }
  }
  return spec;
}

/**
 * Every operation in spec order, with its path- and operation-level
 * parameters resolved (`$ref`s to components.parameters followed).
 */
export function listOperations(spec) {
  const resolve = p =>
    p.$ref ? spec.components.parameters[p.$ref.replace(/^.*\//, '')] : p;
  const operations = [];
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = [
        ...(item.parameters ?? []),
        ...(operation.parameters ?? []),
      ].map(resolve);
      operations.push({ path, method, operation, parameters });
    }
  }
  return operations;
}
