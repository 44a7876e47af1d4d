import { screen, waitFor } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createFakeIncidentsApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityActiveIncidentBanner } from './EntityActiveIncidentBanner';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', title: 'Payments API' },
  spec: { type: 'service' },
};

const render = (incidentsApi: ReturnType<typeof createFakeIncidentsApi>) =>
  renderWithApis(
    <EntityProvider entity={entity}>
      <EntityActiveIncidentBanner />
    </EntityProvider>,
    { apis: { incidentsApi } },
  );

describe('EntityActiveIncidentBanner', () => {
  it("names the component's active incidents, most severe first", async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [
          makeIncident({
            ref: 'INC-8',
            title: 'Card declines',
            status: 'investigating',
          }),
        ],
        totalCount: 4,
      })),
    });
    await render(incidentsApi);
    expect(
      await screen.findByText('Payments API has 4 active incidents'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'INC-8: Card declines' }),
    ).toHaveAttribute('href', '/incidents/INC-8');
    expect(screen.getByText('and 3 more')).toBeInTheDocument();
    expect(incidentsApi.listIncidents).toHaveBeenCalledWith({
      status: ['open', 'investigating', 'mitigated'],
      entityRef: 'component:default/payments-api',
      sort: 'severity',
      order: 'asc',
      limit: 3,
    });
  });

  it('shows nothing while the component is fine', async () => {
    const incidentsApi = createFakeIncidentsApi();
    await render(incidentsApi);
    await waitFor(() => expect(incidentsApi.listIncidents).toHaveBeenCalled());
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });
});
