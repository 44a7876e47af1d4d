import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { renderInTestApp } from '@backstage/test-utils';
import {
  oncallRouteRef,
  postmortemsRouteRef,
  rootRouteRef,
} from '../../../routes';
import { KeyboardShortcuts } from './KeyboardShortcuts';

const Where = () => (
  <output aria-label="Location">{useLocation().pathname}</output>
);

function render() {
  return renderInTestApp(
    <>
      <KeyboardShortcuts />
      <input aria-label="Some field" />
      <Where />
    </>,
    {
      routeEntries: ['/catalog'],
      mountedRoutes: {
        '/incidents': rootRouteRef,
        '/oncall': oncallRouteRef,
        '/postmortems': postmortemsRouteRef,
      },
    },
  );
}

// hidden: an open dialog hides the rest of the page from the accessibility tree.
const location = () =>
  screen.getByRole('status', { name: 'Location', hidden: true });

describe('KeyboardShortcuts', () => {
  it('opens an overlay listing every shortcut on ?', async () => {
    await render();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await userEvent.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const text of [
      'Go to incidents',
      'Go to on-call',
      'Go to postmortems',
      'Search the incident list',
      'New incident',
      'Acknowledge (when you may)',
      'Post the note (in the note box)',
      'Save',
    ]) {
      expect(within(dialog).getByText(text)).toBeInTheDocument();
    }
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('goes to incidents, on-call and postmortems with g then i, o, p', async () => {
    await render();
    await userEvent.keyboard('gi');
    expect(location()).toHaveTextContent('/incidents');
    await userEvent.keyboard('go');
    expect(location()).toHaveTextContent('/oncall');
    await userEvent.keyboard('gp');
    expect(location()).toHaveTextContent('/postmortems');
  });

  it('does nothing on i without g first', async () => {
    await render();
    await userEvent.keyboard('i');
    expect(location()).toHaveTextContent('/catalog');
  });

  it('never fires while typing in a field', async () => {
    await render();
    const field = screen.getByRole('textbox', { name: 'Some field' });
    await userEvent.type(field, 'gi?');
    expect(field).toHaveValue('gi?');
    expect(location()).toHaveTextContent('/catalog');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('does not navigate while a dialog is open', async () => {
    await render();
    await userEvent.keyboard('?');
    await userEvent.keyboard('gi');
    expect(location()).toHaveTextContent('/catalog');
  });
});
