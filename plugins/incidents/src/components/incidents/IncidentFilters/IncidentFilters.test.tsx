import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../../__testUtils__';
import { IncidentFilters, IncidentFilterValue } from './IncidentFilters';

const none: IncidentFilterValue = {
  severity: [],
  status: [],
  myTeam: false,
  q: '',
};

describe('IncidentFilters', () => {
  it('reports status, service and search changes', async () => {
    const onChange = jest.fn();
    await renderWithApis(
      <IncidentFilters value={none} onChange={onChange} teamGroups={[]} />,
    );

    fireEvent.mouseDown(
      within(screen.getByTestId('status-filter')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Mitigated' }),
    );
    expect(onChange).toHaveBeenCalledWith({ status: ['mitigated'] });
    await userEvent.keyboard('{Escape}');

    await userEvent.click(screen.getByTestId('service-filter-expand'));
    await userEvent.click(
      await screen.findByRole('option', { name: 'Payments API' }),
    );
    expect(onChange).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });

    await userEvent.type(screen.getByLabelText('Search incidents'), 'db');
    await waitFor(() => expect(onChange).toHaveBeenCalledWith({ q: 'db' }));
    // Debounced: one search, not one per keystroke.
    expect(onChange).not.toHaveBeenCalledWith({ q: 'd' });
  });

  it('offers "my team" only to members of a group', async () => {
    await renderWithApis(
      <IncidentFilters value={none} onChange={jest.fn()} teamGroups={[]} />,
    );
    expect(
      screen.getByRole('checkbox', { name: "My team's incidents" }),
    ).toBeDisabled();
  });

  it('toggles "my team" and can hide the service filter', async () => {
    const onChange = jest.fn();
    await renderWithApis(
      <IncidentFilters
        value={none}
        onChange={onChange}
        teamGroups={['group:default/sre']}
        hideService
      />,
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: "My team's incidents" }),
    );
    expect(onChange).toHaveBeenCalledWith({ myTeam: true });
    expect(screen.queryByText('Service')).not.toBeInTheDocument();
  });
});
