/*
 * A second guest-like sign-in that signs in as a Vigil admin (by default
 * user:default/alice, a member of sre), so the end-to-end tests can publish
 * a postmortem in the browser. The auth backend only enables it when
 * `auth.providers.demoAdmin` is configured (app-config.e2e.yaml does), and,
 * like the guest provider, only in development.
 */
import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

const demoAdminAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate() {
    if (process.env.NODE_ENV !== 'development') {
      throw new NotAllowedError(
        'The demoAdmin sign-in is for development and tests only',
      );
    }
    return { result: {} };
  },
});

/** Registers the `demoAdmin` sign-in provider. */
export default createBackendModule({
  pluginId: 'auth',
  moduleId: 'vigil-demo-admin',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ providers, config }) {
        const userEntityRef =
          config.getOptionalString('auth.providers.demoAdmin.userEntityRef') ??
          'user:default/alice';
        providers.registerProvider({
          providerId: 'demoAdmin',
          factory: createProxyAuthProviderFactory({
            authenticator: demoAdminAuthenticator,
            signInResolver: async (_info, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: userEntityRef }),
          }),
        });
      },
    });
  },
});
