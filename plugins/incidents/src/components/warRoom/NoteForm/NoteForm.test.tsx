import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../../__testUtils__';
import { NoteForm } from './NoteForm';

describe('NoteForm', () => {
  it('posts a note with a link', async () => {
    const onAdded = jest.fn();
    const { apis } = await renderWithApis(
      <NoteForm incidentId="id-1" onAdded={onAdded} />,
    );
    const add = screen.getByRole('button', { name: 'Add note' });
    expect(add).toBeDisabled();

    await userEvent.type(
      screen.getByRole('textbox', { name: 'Note' }),
      'Rolled back deploy',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Link (optional)' }),
      'https://ci/run/1',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Link title' }),
      'Rollback job',
    );
    await userEvent.click(add);

    await waitFor(() => expect(onAdded).toHaveBeenCalled());
    expect(apis.incidentsApi.addNote).toHaveBeenCalledWith('id-1', {
      message: 'Rolled back deploy',
      links: [{ url: 'https://ci/run/1', title: 'Rollback job' }],
    });
    expect(screen.getByRole('textbox', { name: 'Note' })).toHaveValue('');
  });
});
