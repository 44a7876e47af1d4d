import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { ResponseError } from '@backstage/errors';
import { createFakeIncidentsApi, renderWithApis } from '../../../__testUtils__';
import { NewIncidentDialog } from './NewIncidentDialog';

describe('NewIncidentDialog', () => {
  it('puts the focus in the title when it opens, so typing starts at once', async () => {
    await renderWithApis(<NewIncidentDialog open onClose={jest.fn()} />);
    await waitFor(() =>
      expect(screen.getByRole('textbox', { name: 'Title' })).toHaveFocus(),
    );
  });

  it('requires a title', async () => {
    const { apis } = await renderWithApis(
      <NewIncidentDialog open onClose={jest.fn()} />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open incident' }),
    );
    expect(screen.getByText('A title is required')).toBeInTheDocument();
    expect(apis.incidentsApi.openIncident).not.toHaveBeenCalled();
  });

  it('submits with the prefilled entity and opens the new incident', async () => {
    const onClose = jest.fn();
    const { apis } = await renderWithApis(
      <Routes>
        <Route
          path="/"
          element={
            <NewIncidentDialog
              open
              onClose={onClose}
              initialServices={['component:default/payments-api']}
            />
          }
        />
        <Route path="/incidents/:id" element={<p>War room</p>} />
      </Routes>,
    );
    expect(await screen.findByText('Payments API')).toBeInTheDocument();

    await userEvent.type(
      screen.getByRole('textbox', { name: /Title/ }),
      'Payments failing',
    );
    await userEvent.selectOptions(
      screen.getByRole('combobox', { name: 'Severity' }),
      'sev2',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Environments' }),
      'production, eu-west',
    );
    await userEvent.click(screen.getByTestId('new-incident-commander-expand'));
    await userEvent.click(
      await screen.findByRole('option', { name: /Alice Okafor/ }),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Open incident' }),
    );

    await waitFor(() =>
      expect(apis.incidentsApi.openIncident).toHaveBeenCalledWith({
        title: 'Payments failing',
        severity: 'sev2',
        description: undefined,
        affectedServices: ['component:default/payments-api'],
        environments: ['production', 'eu-west'],
        commander: 'user:default/alice',
      }),
    );
    expect(await screen.findByText('War room')).toBeInTheDocument();
    expect(onClose).toHaveBeenCalled();
  });

  it('shows why opening failed', async () => {
    const incidentsApi = createFakeIncidentsApi({
      openIncident: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: { name: 'NotAllowedError', message: 'Unauthorized' },
              response: { statusCode: 403 },
            }),
            { status: 403, headers: { 'Content-Type': 'application/json' } },
          ) as any,
        );
      }),
    });
    const { apis } = await renderWithApis(
      <NewIncidentDialog open onClose={jest.fn()} />,
      { apis: { incidentsApi } },
    );
    await userEvent.type(screen.getByRole('textbox', { name: /Title/ }), 'x');
    await userEvent.click(
      screen.getByRole('button', { name: 'Open incident' }),
    );
    await waitFor(() =>
      expect(apis.alertApi.post).toHaveBeenCalledWith({
        message: 'Could not open the incident: Not allowed: Unauthorized',
        severity: 'error',
      }),
    );
  });
});
