import { screen, waitFor } from '@testing-library/react';
import {
  createExtensionTester,
  renderInTestApp,
} from '@backstage/frontend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { coreExtensionData } from '@backstage/frontend-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { homePageWidgetDataRef } from '@backstage/plugin-home-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { incidentsApiRef } from './api';
import { oncallRouteRef, rootRouteRef } from './routes';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  fakeSignalApi,
  makeIncident,
} from './__testUtils__';
import plugin, {
  incidentsEntityCard,
  incidentsEntityContent,
  oncallEntityCard,
  oncallHomePageWidget,
  oncallPage,
} from './alpha';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api' },
  spec: { type: 'service' },
};

describe('incidents plugin (new frontend system)', () => {
  it('provides its extensions under the expected ids', () => {
    expect(plugin.getExtension('api:incidents')).toBeDefined();
    expect(plugin.getExtension('page:incidents')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:incidents/incidents'),
    ).toBeDefined();
    expect(
      plugin.getExtension('entity-content:incidents/incidents'),
    ).toBeDefined();
    expect(plugin.getExtension('page:incidents/oncall')).toBeDefined();
    expect(plugin.getExtension('entity-card:incidents/oncall')).toBeDefined();
  });

  it('mounts the on-call page at /oncall', () => {
    const tester = createExtensionTester(oncallPage);
    expect(tester.get(coreExtensionData.routePath)).toBe('/oncall');
    expect(tester.get(coreExtensionData.routeRef)).toBe(oncallRouteRef);
  });

  it('shows the on-call card on components', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getOncallNow: jest.fn(async () => ({
        items: [
          {
            schedule: { id: 'payments', name: 'Payments primary' },
            user: 'user:default/alice',
          },
        ],
      })),
    });
    const tester = createExtensionTester(oncallEntityCard);
    expect(tester.get(EntityCardBlueprint.dataRefs.filterExpression)).toBe(
      'kind:component',
    );
    renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [[incidentsApiRef, incidentsApi]],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(await screen.findByText('Payments primary')).toBeInTheDocument();
    expect(incidentsApi.getOncallNow).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });
  });

  it('offers the on-call home page widget', async () => {
    expect(
      plugin.getExtension('home-page-widget:incidents/oncall'),
    ).toBeDefined();
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest.fn(async () => ({
        items: [
          {
            pageId: 'p1',
            step: 1,
            createdAt: '2026-11-22T05:00:00.000Z',
            incident: {
              id: 'i5',
              ref: 'INC-5',
              title: 'Card declines',
              severity: 'sev1' as const,
              status: 'open',
              createdAt: '2026-11-22T05:00:00.000Z',
            },
          },
        ],
      })),
    });
    const widget = createExtensionTester(oncallHomePageWidget).get(
      homePageWidgetDataRef,
    );
    expect(widget.name).toBe('HomePageOnCallCard');
    renderInTestApp(widget.component, {
      apis: [
        [incidentsApiRef, incidentsApi],
        [signalApiRef, fakeSignalApi()],
      ],
      mountedRoutes: {
        '/incidents': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    });
    expect(await screen.findByText('On call')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Acknowledge INC-5' }),
    ).toBeInTheDocument();
  });

  it('shows the entity content on components only', () => {
    const tester = createExtensionTester(incidentsEntityContent);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Incidents');
    expect(tester.get(EntityContentBlueprint.dataRefs.filterExpression)).toBe(
      'kind:component',
    );
  });

  it('configures the entity card from app-config', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [makeIncident({ title: 'Card declines' })],
        totalCount: 1,
      })),
    });
    const tester = createExtensionTester(incidentsEntityCard, {
      config: { readOnly: true, showRecent: false },
    });
    expect(tester.get(EntityCardBlueprint.dataRefs.filterExpression)).toBe(
      'kind:component',
    );

    renderInTestApp(
      <EntityProvider entity={entity}>{tester.reactElement()}</EntityProvider>,
      {
        apis: [
          [incidentsApiRef, incidentsApi],
          [permissionApiRef, fakePermissionApi()],
          [signalApiRef, fakeSignalApi()],
        ],
        mountedRoutes: {
          '/incidents': rootRouteRef,
          '/catalog/:namespace/:kind/:name': entityRouteRef,
        },
      },
    );

    expect(await screen.findByText('INC-1: Card declines')).toBeInTheDocument();
    await waitFor(() =>
      expect(incidentsApi.listIncidents).toHaveBeenCalledTimes(1),
    );
    expect(
      screen.queryByRole('button', { name: 'Open incident' }),
    ).not.toBeInTheDocument();
  });
});
