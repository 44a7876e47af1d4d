import { screen } from '@testing-library/react';
import {
  createFakeIncidentsApi,
  makeDetail,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentSummary } from './IncidentSummary';

describe('IncidentSummary', () => {
  it('shows milestones, change, services and environments', async () => {
    await renderWithApis(
      <IncidentSummary
        incident={makeIncident({
          status: 'resolved',
          description: 'Card payments fail',
          acknowledgedAt: '2026-11-22T05:05:00.000Z',
          resolvedAt: '2026-11-22T06:00:00.000Z',
          change: { url: 'https://git/pr/1', title: 'PR #1', source: 'github' },
        })}
      />,
    );
    expect(screen.getByText('Card payments fail')).toBeInTheDocument();
    expect(screen.getByText('Acknowledged')).toBeInTheDocument();
    expect(screen.getByText('1h')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /PR #1 \(github\)/ }),
    ).toHaveAttribute('href', 'https://git/pr/1');
    expect(screen.getByText('payments-api')).toBeInTheDocument();
    expect(screen.getByText('production')).toBeInTheDocument();
    expect(screen.queryByText('Merged into')).not.toBeInTheDocument();
  });

  it('links a merged incident to its parent', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () =>
        makeDetail({ id: 'parent', ref: 'INC-12', title: 'Root outage' }),
      ),
    });
    await renderWithApis(
      <IncidentSummary incident={makeIncident({ parentId: 'parent' })} />,
      { apis: { incidentsApi } },
    );
    const link = await screen.findByRole('link', {
      name: 'INC-12: Root outage',
    });
    expect(link).toHaveAttribute('href', '/incidents/parent');
    expect(incidentsApi.getIncident).toHaveBeenCalledWith('parent');
  });
});
