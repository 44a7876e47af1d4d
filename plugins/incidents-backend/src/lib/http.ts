import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApiRouter as TypedApiRouter } from '@backstage/backend-openapi-utils';
import { spec } from '../schema/openapi.generated';

/** The typed, spec-validated router every domain's routes register on. */
export type ApiRouter = TypedApiRouter<typeof spec>;

type Req = Parameters<HttpAuthService['credentials']>[0];

/** Credentials of a user or a service (reads, and most writes). */
export function userOrService(httpAuth: HttpAuthService, req: Req) {
  return httpAuth.credentials(req, { allow: ['user', 'service'] });
}

/** Credentials of a user (changes only people make). */
export function userOnly(httpAuth: HttpAuthService, req: Req) {
  return httpAuth.credentials(req, { allow: ['user'] });
}
