import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeMaintenance,
  renderWithApis,
} from '../../../__testUtils__';
import { componentColumns, StatusPagePage } from './StatusPagePage';

const overview = {
  enabled: true,
  name: 'Acme Status',
  pageUrl: 'http://localhost:7007/api/incidents/public/status',
  indicator: 'major' as const,
  description: 'Partial System Outage',
  components: [
    {
      entityRef: 'component:default/payments-api',
      name: 'Payments',
      status: 'partial_outage' as const,
      uptimePercent: 99.5,
    },
    {
      entityRef: 'component:default/checkout-web',
      name: 'Checkout',
      group: 'Shop',
      status: 'operational' as const,
      uptimePercent: 100,
    },
  ],
};

describe('StatusPagePage', () => {
  it('shows the page status, components, maintenance and the public link', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getStatusPage: jest.fn(async () => overview),
      listMaintenances: jest.fn(async () => [makeMaintenance()]),
    });
    await renderWithApis(<StatusPagePage />, {
      apis: { incidentsApi, permissionApi: fakePermissionApi([]) },
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Partial System Outage',
    );
    expect(screen.getByText('Payments')).toBeInTheDocument();
    expect(screen.getByText('99.5%')).toBeInTheDocument();
    expect(screen.getByText('Partial outage')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /Open the public page/ }),
    ).toHaveAttribute('href', overview.pageUrl);
    const windows = screen.getByRole('list', { name: 'Maintenance windows' });
    expect(windows).toHaveTextContent('Database upgrade');
    expect(windows).toHaveTextContent('Payments');
    // Without the maintenance permission: no scheduling, no moves.
    expect(
      screen.queryByRole('button', { name: 'Schedule maintenance' }),
    ).not.toBeInTheDocument();
    expect(within(windows).queryByRole('button')).not.toBeInTheDocument();
  });

  it('schedules maintenance on the chosen components', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getStatusPage: jest.fn(async () => overview),
    });
    await renderWithApis(<StatusPagePage />, { apis: { incidentsApi } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Schedule maintenance' }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Schedule maintenance' });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Name/ }),
      'Failover test',
    );
    await userEvent.click(
      within(dialog).getByRole('checkbox', { name: 'Payments' }),
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Schedule' }),
    );
    await waitFor(() =>
      expect(incidentsApi.scheduleMaintenance).toHaveBeenCalled(),
    );
    expect(incidentsApi.scheduleMaintenance.mock.calls[0][0]).toMatchObject({
      name: 'Failover test',
      components: ['component:default/payments-api'],
    });
  });
});

describe('componentColumns', () => {
  it('leaves out group and uptime on a phone so the status fits', () => {
    const shown = (compact: boolean) =>
      componentColumns(compact)
        .filter(c => !c.hidden)
        .map(c => c.title);
    expect(shown(true)).toEqual(['Component', 'Status']);
    expect(shown(false)).toEqual([
      'Component',
      'Group',
      'Status',
      'Uptime (90 days)',
    ]);
  });
});
