import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../../__testUtils__';
import { IncidentFilters, IncidentFilterValue } from './IncidentFilters';

const none: IncidentFilterValue = { severity: [], q: '' };

describe('IncidentFilters', () => {
  it('reports severity, service and search changes', async () => {
    const onChange = jest.fn();
    await renderWithApis(<IncidentFilters value={none} onChange={onChange} />);

    fireEvent.mouseDown(
      within(screen.getByTestId('severity-filter')).getByRole('button'),
    );
    await userEvent.click(await screen.findByRole('option', { name: /SEV2/ }));
    expect(onChange).toHaveBeenCalledWith({ severity: ['sev2'] });
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

  it('can hide the service filter', async () => {
    await renderWithApis(
      <IncidentFilters value={none} onChange={jest.fn()} hideService />,
    );
    expect(screen.queryByText('Service')).not.toBeInTheDocument();
    expect(screen.queryByText('Status')).not.toBeInTheDocument();
  });
});
