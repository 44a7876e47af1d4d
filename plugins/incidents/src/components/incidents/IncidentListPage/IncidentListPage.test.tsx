import { screen, waitFor } from '@testing-library/react';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentListPage } from './IncidentListPage';

describe('IncidentListPage', () => {
  it('lists incidents and offers a new one, without backend details', async () => {
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
    expect(screen.queryByText('Backend reachable')).not.toBeInTheDocument();
    expect(screen.queryByText(/better-sqlite3|Schema/)).not.toBeInTheDocument();
    expect(incidentsApi.getHealth).not.toHaveBeenCalled();
  });

  it('hides "New incident" from those who may not open one', async () => {
    const permissionApi = fakePermissionApi([]);
    await renderWithApis(<IncidentListPage />, { apis: { permissionApi } });
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    await screen.findByText('No incidents match these filters.');
    expect(
      screen.queryByRole('button', { name: 'New incident' }),
    ).not.toBeInTheDocument();
  });
});
