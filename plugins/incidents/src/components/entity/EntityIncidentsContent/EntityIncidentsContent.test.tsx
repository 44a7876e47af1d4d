import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createFakeIncidentsApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityIncidentsContent } from './EntityIncidentsContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'shop', title: 'Checkout' },
  spec: { type: 'website' },
};

describe('EntityIncidentsContent', () => {
  it('lists the incidents affecting the entity', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [makeIncident({ title: 'Cart empties itself' })],
        totalCount: 1,
      })),
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsContent />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    expect(await screen.findByText('Cart empties itself')).toBeInTheDocument();
    expect(screen.getByText('Incidents of Checkout')).toBeInTheDocument();
    expect(incidentsApi.listIncidents).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:shop/checkout' }),
    );
    expect(
      await screen.findByRole('button', { name: 'Open incident' }),
    ).toBeInTheDocument();
  });
});
