import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  makePostmortem,
  renderWithApis,
} from '../../../__testUtils__';
import { PostmortemsPage } from './PostmortemsPage';

describe('PostmortemsPage', () => {
  it('lists postmortems with their incident, state and services, filtered by state', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listPostmortems: jest.fn(async () => ({
        items: [
          makePostmortem({
            status: 'published',
            publishedAt: '2026-11-23T08:00:00.000Z',
          }),
        ],
        totalCount: 1,
      })),
    });
    await renderWithApis(<PostmortemsPage />, { apis: { incidentsApi } });

    const link = await screen.findByRole('link', { name: 'INC-1' });
    expect(link).toHaveAttribute('href', '/incidents/INC-1/postmortem');
    expect(
      screen.getByText('Postmortem: INC-1 Checkout is down'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('Published').length).toBeGreaterThan(0);
    expect(screen.getByText('Postmortems (1)')).toBeInTheDocument();
    expect(incidentsApi.listPostmortems).toHaveBeenLastCalledWith({
      status: undefined,
      entityRef: undefined,
      limit: 500,
    });

    await userEvent.click(screen.getByLabelText('State'));
    await userEvent.click(
      within(await screen.findByRole('listbox')).getByText('In review'),
    );
    await waitFor(() =>
      expect(incidentsApi.listPostmortems).toHaveBeenLastCalledWith({
        status: ['review'],
        entityRef: undefined,
        limit: 500,
      }),
    );
  });

  it('shows one error with Retry, not an empty list, and loads again', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listPostmortems: jest
        .fn()
        .mockRejectedValueOnce(new Error('Service unavailable'))
        .mockResolvedValue({ items: [makePostmortem()], totalCount: 1 }),
    });
    await renderWithApis(<PostmortemsPage />, { apis: { incidentsApi } });
    expect(
      await screen.findByText(/Could not list postmortems/),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No postmortems match these filters.'),
    ).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('link', { name: 'INC-1' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not list postmortems/),
    ).not.toBeInTheDocument();
  });

  it('shows skeleton rows while loading, not the empty text', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listPostmortems: jest.fn(() => new Promise<never>(() => {})),
    });
    await renderWithApis(<PostmortemsPage />, { apis: { incidentsApi } });
    expect(
      screen.getByRole('progressbar', { name: 'Loading postmortems' }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No postmortems match these filters.'),
    ).not.toBeInTheDocument();
  });
});
