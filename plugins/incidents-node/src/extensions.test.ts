import {
  createBackendModule,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  IncidentPager,
  incidentsPagerExtensionPoint,
  incidentsAlertParserExtensionPoint,
  IncidentsAlertParser,
} from './extensions';

describe('incidents extension points', () => {
  it('hands pagers and parsers from a module to the plugin', async () => {
    const pagers: IncidentPager[] = [];
    const parsers: IncidentsAlertParser[] = [];
    const plugin = createBackendPlugin({
      pluginId: 'incidents',
      register(env) {
        env.registerExtensionPoint(incidentsPagerExtensionPoint, {
          addPager: (...p) => pagers.push(...p),
        });
        env.registerExtensionPoint(incidentsAlertParserExtensionPoint, {
          addParser: (...p) => parsers.push(...p),
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const module = createBackendModule({
      pluginId: 'incidents',
      moduleId: 'sms',
      register(env) {
        env.registerInit({
          deps: {
            pagerPoint: incidentsPagerExtensionPoint,
            parserPoint: incidentsAlertParserExtensionPoint,
          },
          async init({ pagerPoint, parserPoint }) {
            pagerPoint.addPager({ id: 'sms', send: async () => {} });
            parserPoint.addParser({ id: 'zabbix', parse: () => [] });
          },
        });
      },
    });

    await startTestBackend({ features: [plugin, module] });

    expect(pagers.map(p => p.id)).toEqual(['sms']);
    expect(parsers.map(p => p.id)).toEqual(['zabbix']);
  });
});
