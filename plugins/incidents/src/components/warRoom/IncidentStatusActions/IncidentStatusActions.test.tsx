import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import { ResponseError } from '@backstage/errors';
import { IncidentStatus } from '@vigil/plugin-incidents-common';
import {
  createFakeIncidentsApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentPermissions } from '../../../hooks';
import { IncidentStatusActions } from './IncidentStatusActions';

const allowAll: IncidentPermissions = {
  acknowledge: true,
  resolve: true,
  cancel: true,
  update: true,
  note: true,
  loading: false,
};

const buttonNames = () =>
  screen.queryAllByRole('button').map(b => b.textContent);

async function render(
  status: IncidentStatus,
  permissions: IncidentPermissions = allowAll,
  incidentsApi = createFakeIncidentsApi(),
) {
  const onMoved = jest.fn();
  const result = await renderWithApis(
    <IncidentStatusActions
      incident={makeIncident({ status })}
      permissions={permissions}
      onMoved={onMoved}
    />,
    { apis: { incidentsApi } },
  );
  return { ...result, onMoved };
}

describe('IncidentStatusActions', () => {
  it.each([
    ['open', ['Acknowledge', 'Mitigate', 'Resolve', 'Cancel incident']],
    ['investigating', ['Mitigate', 'Resolve']],
    ['mitigated', ['Resolve']],
    ['resolved', ['Start postmortem']],
    ['postmortem', []],
    ['cancelled', []],
  ] as const)('offers the lifecycle moves from %s', async (status, moves) => {
    await render(status);
    expect(buttonNames()).toEqual(moves);
  });

  it('opens the postmortem editor after Start postmortem', async () => {
    const Where = () => <output>{useLocation().pathname}</output>;
    const { apis } = await renderWithApis(
      <>
        <IncidentStatusActions
          incident={makeIncident({ status: 'resolved' })}
          permissions={allowAll}
          onMoved={jest.fn()}
        />
        <Where />
      </>,
      { routeEntries: ['/incidents/INC-1'] },
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Start postmortem' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Start postmortem',
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        '/incidents/INC-1/postmortem',
      ),
    );
    expect(apis.incidentsApi.moveIncident).toHaveBeenCalledWith(
      expect.any(String),
      'postmortem',
      undefined,
      'portal',
    );
  });

  it('offers only the moves the user is permitted', async () => {
    await render('open', { ...allowAll, resolve: false, cancel: false });
    expect(buttonNames()).toEqual(['Acknowledge']);
  });

  it('acknowledges with an optional message', async () => {
    const { apis, onMoved } = await render('open');
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Message (optional)' }),
      'Looking',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Acknowledge' }),
    );

    await waitFor(() => expect(onMoved).toHaveBeenCalled());
    expect(apis.incidentsApi.moveIncident).toHaveBeenCalledWith(
      'id-1',
      'investigating',
      'Looking',
      'portal',
    );
    expect(apis.alertApi.post).not.toHaveBeenCalled();
  });

  it('shows the reason when the backend refuses the move', async () => {
    const incidentsApi = createFakeIncidentsApi({
      moveIncident: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message:
                  "Cannot move an incident from 'mitigated' to 'resolved'; allowed moves from 'mitigated': resolved",
              },
              response: { statusCode: 409 },
            }),
            {
              status: 409,
              statusText: 'Conflict',
              headers: { 'Content-Type': 'application/json' },
            },
          ) as any,
        );
      }),
    });
    const { apis, onMoved } = await render('mitigated', allowAll, incidentsApi);
    await userEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Resolve',
      }),
    );

    await waitFor(() =>
      expect(apis.alertApi.post).toHaveBeenCalledWith({
        message:
          "Could not resolve INC-1: Cannot move an incident from 'mitigated' to 'resolved'; allowed moves from 'mitigated': resolved",
        severity: 'error',
      }),
    );
    expect(incidentsApi.moveIncident).toHaveBeenCalledWith(
      'id-1',
      'resolved',
      undefined,
      'portal',
    );
    expect(onMoved).toHaveBeenCalled();
  });
});
