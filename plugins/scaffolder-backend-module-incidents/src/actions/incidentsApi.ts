import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/**
 * POSTs JSON to the incidents backend as the user who started the task (so
 * the incidents permission policy applies to them) and returns the parsed
 * answer. A refusal throws with the backend's message, which fails the step.
 */
export async function postToIncidents<T>(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  credentials: BackstageCredentials;
  path: string;
  body: unknown;
  /** What the call does, for the error message: "open the incident". */
  purpose: string;
}): Promise<{ status: number; body: T }> {
  const { discovery, auth, credentials, path, body, purpose } = options;
  const baseUrl = await discovery.getBaseUrl('incidents');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'incidents',
  });
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    // Failing the step is the point: a swallowed error hides an outage.
    const error = await ResponseError.fromResponse(res);
    throw new Error(
      `Vigil could not ${purpose} (HTTP ${res.status}): ${error.cause.message}`,
      { cause: error },
    );
  }
  return { status: res.status, body: (await res.json()) as T };
}
