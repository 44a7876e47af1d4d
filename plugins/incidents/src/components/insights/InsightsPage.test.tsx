import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderWithApis } from '../../__testUtils__';
import { InsightsPage } from './InsightsPage';

const Location = () => <div data-testid="location">{useLocation().search}</div>;

describe('InsightsPage', () => {
  it('shows each metric with the filters from the query string', async () => {
    const { apis } = await renderWithApis(
      <>
        <InsightsPage />
        <Location />
      </>,
      {
        routeEntries: [
          '/insights?days=30&severity=sev1&entityRef=component:default/payments-api',
        ],
      },
    );
    expect(await screen.findByText('66.67%', { selector: 'p' })).toBeVisible();
    // The breach links to its war room.
    expect(screen.getByRole('link', { name: 'INC-7' })).toHaveAttribute(
      'href',
      '/incidents/INC-7',
    );
    // Overall and sev1: acknowledged in 4 min (median), 10 min (p90).
    expect(screen.getAllByText('4m / 10m')).toHaveLength(2);
    expect(screen.getByText('Fairness: Payments primary')).toBeInTheDocument();
    const query = apis.incidentsApi.getMetricsSummary.mock.calls[0][0];
    expect(query).toMatchObject({
      severity: ['sev1'],
      entityRef: 'component:default/payments-api',
    });
    // 30 days back, to the minute.
    const days = (Date.now() - Date.parse(query.from!)) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
    expect(apis.incidentsApi.getMetricsFrequency).toHaveBeenCalledWith(
      expect.objectContaining({ interval: 'week', severity: ['sev1'] }),
    );
  });

  it('keeps a changed filter in the query string and refetches', async () => {
    const { apis } = await renderWithApis(
      <>
        <InsightsPage />
        <Location />
      </>,
      { routeEntries: ['/insights'] },
    );
    await screen.findByText('Fairness: Payments primary');
    await userEvent.click(screen.getByLabelText('Range'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('Last 7 days'),
    );
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('?days=7'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'My team' }));
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent(
        '?days=7&team=mine',
      ),
    );
    // "My team" is the signed-in user's groups.
    await waitFor(() =>
      expect(apis.incidentsApi.getMetricsSla).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: ['group:default/sre'] }),
      ),
    );
  });

  it('downloads a metric as CSV with the same filters', async () => {
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const { apis } = await renderWithApis(<InsightsPage />, {
      routeEntries: ['/insights?severity=sev2'],
    });
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Download SLA compliance as CSV',
      }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(apis.incidentsApi.getMetricsCsv).toHaveBeenCalledWith(
      'sla',
      expect.objectContaining({ severity: ['sev2'] }),
    );
    expect(createObjectURL).toHaveBeenCalled();
    click.mockRestore();
  });

  it('shows one error with Retry when a metric cannot be loaded', async () => {
    const getMetricsSla = jest
      .fn()
      .mockRejectedValueOnce(new Error('database is down'))
      .mockImplementation(
        jest.requireActual('../../__testUtils__/metrics').makeSla,
      );
    await renderWithApis(<InsightsPage />, {
      apis: {
        incidentsApi: (
          jest.requireActual('../../__testUtils__') as any
        ).createFakeIncidentsApi({ getMetricsSla }),
      },
      routeEntries: ['/insights'],
    });
    expect(
      (await screen.findAllByText(/database is down/)).length,
    ).toBeGreaterThan(0);
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('66.67%', { selector: 'p' })).toBeVisible();
  });
});
