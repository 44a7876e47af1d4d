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

  it('posts on Ctrl+Enter or Cmd+Enter in the note box; Enter is a new line', async () => {
    const onAdded = jest.fn();
    const { apis } = await renderWithApis(
      <NoteForm incidentId="id-1" onAdded={onAdded} />,
    );
    const note = screen.getByRole('textbox', { name: 'Note' });
    await userEvent.type(note, 'Paged the DBA{Enter}still down');
    expect(apis.incidentsApi.addNote).not.toHaveBeenCalled();
    expect(note).toHaveValue('Paged the DBA\nstill down');

    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() =>
      expect(apis.incidentsApi.addNote).toHaveBeenCalledWith('id-1', {
        message: 'Paged the DBA\nstill down',
        links: undefined,
      }),
    );
    await waitFor(() => expect(note).toHaveValue(''));

    await userEvent.type(note, 'Failing over');
    await userEvent.keyboard('{Meta>}{Enter}{/Meta}');
    await waitFor(() =>
      expect(apis.incidentsApi.addNote).toHaveBeenLastCalledWith('id-1', {
        message: 'Failing over',
        links: undefined,
      }),
    );
  });

  it('posts nothing on Ctrl+Enter while the note is empty', async () => {
    const { apis } = await renderWithApis(
      <NoteForm incidentId="id-1" onAdded={jest.fn()} />,
    );
    await userEvent.click(screen.getByRole('textbox', { name: 'Note' }));
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    expect(apis.incidentsApi.addNote).not.toHaveBeenCalled();
  });
});
