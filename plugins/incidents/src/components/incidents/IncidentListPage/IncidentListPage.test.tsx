import { screen, waitFor } from '@testing-library/react';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentListPage } from './IncidentListPage';

describe('IncidentListPage', () => {
  it('lists incidents, offers a new one and shows backend health', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [makeIncident()],
        totalCount: 1,
      })),
    });
    await renderWithApis(<IncidentListPage />, { apis: { incidentsApi } });

    expect(await screen.findByText('Checkout is down')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'New incident' }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Backend reachable')).toBeInTheDocument();
    expect(screen.getByText('better-sqlite3')).toBeInTheDocument();
    expect(screen.getByText('20261122000000_init.js')).toBeInTheDocument();
  });

  it('hides "New incident" from those who may not open one', async () => {
    const permissionApi = fakePermissionApi([]);
    await renderWithApis(<IncidentListPage />, { apis: { permissionApi } });
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    await screen.findByText('Backend reachable');
    expect(
      screen.queryByRole('button', { name: 'New incident' }),
    ).not.toBeInTheDocument();
  });
});
