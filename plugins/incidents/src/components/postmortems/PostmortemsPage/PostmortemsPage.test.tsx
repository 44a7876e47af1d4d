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
});
