import { screen, waitFor, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createFakeIncidentsApi,
  makeAlert,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityIncidentsCard } from './EntityIncidentsCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', title: 'Payments API' },
  spec: { type: 'service' },
};

describe('EntityIncidentsCard firing alerts', () => {
  it("lists the component's newest firing alerts with a link to all", async () => {
    const incidentsApi = createFakeIncidentsApi({
      listAlerts: jest.fn(async () => ({
        items: [
          makeAlert(),
          makeAlert({ id: 'alert-2', title: 'Card auth timeouts' }),
          makeAlert({ id: 'alert-3', title: 'Ledger lag' }),
        ],
        nextCursor: 'more',
      })),
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );

    const section = await screen.findByRole('region', {
      name: 'Firing alerts',
    });
    expect(
      await within(section).findByText('Card auth timeouts'),
    ).toBeInTheDocument();
    expect(incidentsApi.listAlerts).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      status: 'firing',
      limit: 3,
    });
    expect(within(section).getByText('Firing alerts (3+)')).toBeInTheDocument();
    expect(
      within(section).getByRole('link', { name: 'All firing alerts' }),
    ).toHaveAttribute(
      'href',
      '/incidents/alerts?status=firing&entityRef=component%3Adefault%2Fpayments-api',
    );
  });

  it('says when nothing fires', async () => {
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard />
      </EntityProvider>,
    );
    const section = await screen.findByRole('region', {
      name: 'Firing alerts',
    });
    expect(
      await within(section).findByText('No firing alerts.'),
    ).toBeInTheDocument();
    expect(within(section).queryByRole('link')).not.toBeInTheDocument();
  });

  it('can be turned off', async () => {
    const incidentsApi = createFakeIncidentsApi();
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard showAlerts={false} />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    await screen.findByRole('region', { name: 'Active (0)' });
    await waitFor(() => expect(incidentsApi.listIncidents).toHaveBeenCalled());
    expect(
      screen.queryByRole('region', { name: 'Firing alerts' }),
    ).not.toBeInTheDocument();
    expect(incidentsApi.listAlerts).not.toHaveBeenCalled();
  });
});
