// Writes the models with openapi-typescript (its Node API): the `paths`,
// `components` and `operations` interfaces, plus one exported type per
// components.schemas entry under its own name (root types without prefix).
import openapiTS, { astToString } from 'openapi-typescript';

/** The source of models/openapi.model.ts for a parsed spec. */
export async function modelsSource(spec) {
  const ast = await openapiTS(structuredClone(spec), {
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    // `type: object` without properties is any object, not an empty one.
    emptyObjectsUnknown: true,
    silent: true,
  });
  return astToString(ast);
}

/** The source of models/index.ts: the schemas by name, and the interfaces. */
export function modelsIndexSource(spec) {
  const names = Object.keys(spec.components?.schemas ?? {});
  return `export type {
  ${[...names, 'components', 'operations', 'paths'].join(',\n  ')},
} from './openapi.model';
`;
}
