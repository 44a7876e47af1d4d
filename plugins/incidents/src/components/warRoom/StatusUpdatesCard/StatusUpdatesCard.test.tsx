import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetail, renderWithApis } from '../../../__testUtils__';
import { StatusUpdatesCard } from './StatusUpdatesCard';

const incident = makeDetail({
  statusUpdates: [
    {
      id: 'su1',
      incidentId: 'id-1',
      visibility: 'internal',
      message: 'Investigating the database',
      author: 'user:default/alice',
      createdAt: '2026-11-22T05:10:00.000Z',
    },
    {
      id: 'su2',
      incidentId: 'id-1',
      visibility: 'external',
      message: 'Payments are degraded',
      author: 'user:default/alice',
      createdAt: '2026-11-22T05:20:00.000Z',
    },
  ],
});

describe('StatusUpdatesCard', () => {
  it('lists updates newest first with their visibility', async () => {
    await renderWithApis(
      <StatusUpdatesCard
        incident={incident}
        canPost={false}
        onChange={jest.fn()}
      />,
    );
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Payments are degraded');
    expect(items[0]).toHaveTextContent('External');
    expect(items[1]).toHaveTextContent('Internal');
    expect(
      screen.queryByRole('button', { name: 'Post update' }),
    ).not.toBeInTheDocument();
  });

  it('posts an external update', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <StatusUpdatesCard incident={incident} canPost onChange={onChange} />,
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Status update' }),
      'Fixed',
    );
    await userEvent.click(
      screen.getByRole('radio', { name: 'External (status page)' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Post update' }));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.addStatusUpdate).toHaveBeenCalledWith('id-1', {
      message: 'Fixed',
      visibility: 'external',
    });
  });
});
