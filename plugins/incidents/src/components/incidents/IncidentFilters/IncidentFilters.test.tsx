import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
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

  it('focuses the search on /, but not while typing elsewhere', async () => {
    await renderWithApis(
      <>
        <input aria-label="Elsewhere" />
        <IncidentFilters value={none} onChange={jest.fn()} />
      </>,
    );
    const search = screen.getByLabelText('Search incidents');
    const elsewhere = screen.getByRole('textbox', { name: 'Elsewhere' });
    await userEvent.type(elsewhere, 'a/b');
    expect(elsewhere).toHaveValue('a/b');
    expect(search).not.toHaveFocus();

    await userEvent.click(document.body);
    await userEvent.keyboard('/');
    expect(search).toHaveFocus();
    // The slash only moved the focus; it is not typed into the box.
    expect(search).toHaveValue('');
  });

  it('can hide the service filter', async () => {
    await renderWithApis(
      <IncidentFilters value={none} onChange={jest.fn()} hideService />,
    );
    expect(screen.queryByText('Service')).not.toBeInTheDocument();
    expect(screen.queryByText('Status')).not.toBeInTheDocument();
  });

  it('shows a search that changed elsewhere (back button, a link)', async () => {
    const Harness = () => {
      const [value, setValue] = useState({ ...none, q: 'db' });
      return (
        <>
          <IncidentFilters value={value} onChange={jest.fn()} />
          <button onClick={() => setValue({ ...none, q: 'cache' })}>
            navigate
          </button>
        </>
      );
    };
    await renderWithApis(<Harness />);
    expect(screen.getByLabelText('Search incidents')).toHaveValue('db');
    await userEvent.click(screen.getByRole('button', { name: 'navigate' }));
    expect(screen.getByLabelText('Search incidents')).toHaveValue('cache');
  });
});
