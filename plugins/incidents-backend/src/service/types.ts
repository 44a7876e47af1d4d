import { ApiRouter as TypedApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';

/** The typed, spec-validated router every route module registers on. */
export type ApiRouter = TypedApiRouter<typeof spec>;
