import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeDetail, renderWithApis } from '../../../__testUtils__';
import { ActionItemsCard } from './ActionItemsCard';

const incident = makeDetail({
  actionItems: [
    {
      id: 'ai1',
      incidentId: 'id-1',
      title: 'Add an alert on certificate expiry',
      owner: 'user:default/bob',
      dueDate: '2026-12-01',
      done: false,
      createdAt: '2026-11-22T06:00:00.000Z',
    },
  ],
});

describe('ActionItemsCard', () => {
  it('lists items, read-only for viewers', async () => {
    await renderWithApis(
      <ActionItemsCard
        incident={incident}
        canEdit={false}
        onChange={jest.fn()}
      />,
    );
    expect(
      screen.getByText('Add an alert on certificate expiry'),
    ).toBeInTheDocument();
    expect(screen.getByText('2026-12-01')).toBeInTheDocument();
    expect(
      screen.getByRole('checkbox', {
        name: 'Done: Add an alert on certificate expiry',
      }),
    ).toBeDisabled();
    expect(
      screen.queryByRole('button', { name: 'Add' }),
    ).not.toBeInTheDocument();
  });

  it('ticks an item done', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <ActionItemsCard incident={incident} canEdit onChange={onChange} />,
    );
    await userEvent.click(
      screen.getByRole('checkbox', {
        name: 'Done: Add an alert on certificate expiry',
      }),
    );
    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.updateActionItem).toHaveBeenCalledWith(
      'id-1',
      'ai1',
      { done: true },
    );
  });

  it('adds an item', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <ActionItemsCard incident={incident} canEdit onChange={onChange} />,
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'New action item' }),
      'Write the postmortem',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Owner' }),
      'alice',
    );
    await userEvent.type(screen.getByLabelText('Due'), '2026-12-24');
    await userEvent.click(screen.getByRole('button', { name: 'Add' }));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.addActionItem).toHaveBeenCalledWith('id-1', {
      title: 'Write the postmortem',
      owner: 'user:default/alice',
      dueDate: '2026-12-24',
      link: undefined,
    });
  });
});
