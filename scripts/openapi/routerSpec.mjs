// Writes a backend's src/schema/openapi.generated.ts: the spec as an
// `as const` object for createValidatedOpenApiRouter.
import { inlinePathParameters } from './spec.mjs';

export function routerSpecSource(spec) {
  return `import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(
    inlinePathParameters(structuredClone(spec)),
    null,
    2,
  )} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
}
