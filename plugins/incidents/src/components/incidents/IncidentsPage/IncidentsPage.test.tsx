import { screen } from '@testing-library/react';
import {
  createFakeIncidentsApi,
  makeDetail,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentsPage } from './IncidentsPage';

describe('IncidentsPage', () => {
  it('shows the triage list at its root', async () => {
    await renderWithApis(<IncidentsPage />);
    expect(
      await screen.findByText('No incidents match these filters.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: /^Active/ })).toBeInTheDocument();
    expect(screen.queryByText('Backend reachable')).not.toBeInTheDocument();
  });

  it('shows a war room below it', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () =>
        makeDetail({ ref: 'INC-3', title: 'Queue backlog' }),
      ),
    });
    await renderWithApis(<IncidentsPage />, {
      routeEntries: ['/INC-3'],
      apis: { incidentsApi },
    });
    expect(
      (await screen.findAllByText('INC-3: Queue backlog'))[0],
    ).toBeInTheDocument();
    expect(incidentsApi.getIncident).toHaveBeenCalledWith('INC-3', {
      permissions: true,
    });
  });
});
