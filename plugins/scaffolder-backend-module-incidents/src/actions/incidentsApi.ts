import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  DefaultApiClient,
  pluginId,
  RequestOptions,
  TypedResponse,
} from '@vigil/plugin-incidents-common';

/**
 * Calls the incidents backend through its generated client, as the user who
 * started the task (so the incidents permission policy applies to them), and
 * returns the parsed answer. A refusal throws with the backend's message,
 * which fails the step.
 */
export async function callIncidents<T>(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  credentials: BackstageCredentials;
  /** What the call does, for the error message: "open the incident". */
  purpose: string;
  call: (
    api: DefaultApiClient,
    requestOptions: RequestOptions,
  ) => Promise<TypedResponse<T>>;
}): Promise<{ status: number; body: T }> {
  const { discovery, auth, credentials, purpose, call } = options;
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: pluginId,
  });
  const res = await call(new DefaultApiClient({ discoveryApi: discovery }), {
    token,
  });
  if (!res.ok) {
    // Failing the step is the point: a swallowed error hides an outage.
    const error = await ResponseError.fromResponse(res as Response);
    throw new Error(
      `Vigil could not ${purpose} (HTTP ${res.status}): ${error.cause.message}`,
      { cause: error },
    );
  }
  return { status: res.status, body: await res.json() };
}
