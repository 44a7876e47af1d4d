import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakePermissionApi, renderWithApis } from '../../../__testUtils__';
import { NewIncidentButton } from './NewIncidentButton';

describe('NewIncidentButton', () => {
  it('opens the form when allowed', async () => {
    await renderWithApis(<NewIncidentButton />);
    await userEvent.click(
      await screen.findByRole('button', { name: 'New incident' }),
    );
    expect(screen.getByRole('dialog')).toHaveTextContent('New incident');
  });

  it('opens the form on n when it takes the shortcut', async () => {
    await renderWithApis(<NewIncidentButton shortcut />);
    await screen.findByRole('button', { name: 'New incident' });
    await userEvent.keyboard('n');
    expect(
      await screen.findByRole('dialog', { name: 'New incident' }),
    ).toBeInTheDocument();
  });

  it('ignores n without the shortcut', async () => {
    await renderWithApis(<NewIncidentButton />);
    await screen.findByRole('button', { name: 'New incident' });
    await userEvent.keyboard('n');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('ignores n when opening incidents is not allowed', async () => {
    const permissionApi = fakePermissionApi([]);
    await renderWithApis(<NewIncidentButton shortcut />, {
      apis: { permissionApi },
    });
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    await userEvent.keyboard('n');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('is hidden when opening incidents is not allowed', async () => {
    const permissionApi = fakePermissionApi([]);
    await renderWithApis(<NewIncidentButton label="Open one" />, {
      apis: { permissionApi },
    });
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: 'Open one' }),
    ).not.toBeInTheDocument();
  });
});
