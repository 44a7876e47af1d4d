import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import { ResponseError } from '@backstage/errors';
import { IncidentDetail } from '@vigil/plugin-incidents-common';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeDetail,
  makeEntry,
  makeAlert,
  makeEscalation,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentDetailPage } from './IncidentDetailPage';

function render(
  detail: IncidentDetail,
  options: { allowed?: string[] | 'all'; incidentsApi?: any } = {},
) {
  const incidentsApi =
    options.incidentsApi ??
    createFakeIncidentsApi({ getIncident: jest.fn(async () => detail) });
  return renderWithApis(
    <Routes>
      <Route path="/incidents/:id" element={<IncidentDetailPage />} />
    </Routes>,
    {
      routeEntries: [`/incidents/${detail.ref}`],
      apis: {
        incidentsApi,
        permissionApi: fakePermissionApi(options.allowed ?? 'all'),
      },
    },
  );
}

const moveButtons = () =>
  ['Acknowledge', 'Mitigate', 'Resolve', 'Cancel incident', 'Start postmortem']
    .filter(name => screen.queryByRole('button', { name }))
    .sort();

// The whole war room renders in every test, which takes a while.
jest.setTimeout(20_000);

describe('IncidentDetailPage', () => {
  it('shows the war room of the incident in the URL', async () => {
    const detail = makeDetail({ id: 'a1', ref: 'INC-1' });
    const { apis } = await render(detail);

    expect(
      (await screen.findAllByText('INC-1: Checkout is down'))[0],
    ).toBeInTheDocument();
    expect(apis.incidentsApi.getIncident).toHaveBeenCalledWith('INC-1', {
      permissions: true,
    });
    expect(apis.incidentsApi.getTimeline).toHaveBeenCalledWith('INC-1');
    expect(await screen.findByText('Opened the incident')).toBeInTheDocument();
    expect(screen.getByText('Summary')).toBeInTheDocument();
    expect(screen.getByText('Roles')).toBeInTheDocument();
    expect(screen.getByText('Action items')).toBeInTheDocument();
  });

  it('offers only moves allowed by lifecycle and permissions', async () => {
    await render(makeDetail({ id: 'a2', ref: 'INC-2', status: 'open' }), {
      allowed: ['incidents.incident.acknowledge', 'incidents.incident.note'],
    });
    await screen.findByRole('button', { name: 'Acknowledge' });
    expect(moveButtons()).toEqual(['Acknowledge']);
    expect(screen.queryByRole('button', { name: 'Merge…' })).toBeNull();
    expect(
      screen.getByRole('button', { name: 'Add note' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit roles' })).toBeNull();
  });

  it('takes the permissions the incident carries, asking the permission api nothing', async () => {
    const { apis } = await render(
      makeDetail({
        id: 'a9',
        ref: 'INC-9',
        status: 'open',
        permissions: {
          acknowledge: true,
          resolve: false,
          cancel: false,
          update: false,
          note: true,
        },
      }),
      { allowed: [] },
    );
    await screen.findByRole('button', { name: 'Acknowledge' });
    expect(moveButtons()).toEqual(['Acknowledge']);
    expect(
      screen.getByRole('button', { name: 'Add note' }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Edit roles' })).toBeNull();
    const asked = apis.permissionApi.authorize.mock.calls.map(
      ([request]: any) => request.permission.name,
    );
    expect(
      asked.filter((n: string) => n.startsWith('incidents.incident.')),
    ).toEqual([]);
  });

  it('offers every lifecycle move to a user allowed everything', async () => {
    await render(
      makeDetail({ id: 'a3', ref: 'INC-3', status: 'investigating' }),
    );
    await screen.findByRole('button', { name: 'Mitigate' });
    expect(moveButtons()).toEqual(['Mitigate', 'Resolve']);
  });

  it('acknowledges in one click and shows the responder at once', async () => {
    const detail = makeDetail({ id: 'a4', ref: 'INC-4' });
    const incidentsApi = createFakeIncidentsApi({
      // the reload is slow: what shows comes from the move's answer
      getIncident: jest
        .fn()
        .mockResolvedValueOnce(detail)
        .mockReturnValue(new Promise(() => {})),
      moveIncident: jest.fn(async () => ({
        ...detail,
        status: 'investigating' as const,
        responder: 'user:default/guest',
        roles: { ...detail.roles, responders: ['user:default/guest'] },
        updatedAt: '2026-11-22T06:00:00.000Z',
      })),
    });
    const { apis } = await render(detail, { incidentsApi });
    await userEvent.type(
      await screen.findByLabelText('Message (optional)'),
      'on it',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(apis.incidentsApi.moveIncident).toHaveBeenCalledWith(
        'a4',
        'investigating',
        'on it',
        'portal',
      ),
    );
    const roles = within(
      screen
        .getByText('Roles')
        .closest('[class*="MuiCard-root"]')! as HTMLElement,
    );
    expect(await roles.findByText('guest')).toBeInTheDocument();
    expect(
      within(
        screen.getByRole('region', { name: 'Incident command bar' }),
      ).getAllByText('Investigating').length,
    ).toBeGreaterThan(0);
    expect(apis.incidentsApi.getIncident).toHaveBeenCalledTimes(2);
  });

  it('acknowledges on a, but not while typing the message', async () => {
    const detail = makeDetail({ id: 'a5', ref: 'INC-5' });
    const { apis } = await render(detail);
    const message = await screen.findByLabelText('Message (optional)');
    await userEvent.type(message, 'a fix');
    expect(apis.incidentsApi.moveIncident).not.toHaveBeenCalled();

    await userEvent.click(document.body);
    await userEvent.keyboard('a');
    await waitFor(() =>
      expect(apis.incidentsApi.moveIncident).toHaveBeenCalledWith(
        'a5',
        'investigating',
        'a fix',
        'portal',
      ),
    );
  });

  it('ignores a for a user who may not acknowledge', async () => {
    const detail = makeDetail({ id: 'a6', ref: 'INC-6' });
    const { apis } = await render(detail, {
      allowed: ['incidents.incident.read', 'incidents.incident.note'],
    });
    await screen.findByRole('region', { name: 'Incident command bar' });
    expect(
      screen.queryByRole('button', { name: 'Acknowledge' }),
    ).not.toBeInTheDocument();
    await userEvent.keyboard('a');
    expect(apis.incidentsApi.moveIncident).not.toHaveBeenCalled();
  });

  it('takes command in one click', async () => {
    const detail = makeDetail({
      id: 'a7',
      ref: 'INC-7',
      status: 'investigating',
    });
    const { apis } = await render(detail);
    await userEvent.click(
      await screen.findByRole('button', { name: 'Take command' }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.updateIncident).toHaveBeenCalledWith('a7', {
        roles: { commander: 'user:default/guest' },
      }),
    );
  });

  it('ticks the elapsed time while the incident runs', async () => {
    jest.useFakeTimers({ now: Date.parse('2026-11-22T05:00:00.000Z') });
    try {
      await render(
        makeDetail({ openedAt: '2026-11-22T03:58:57.000Z', status: 'open' }),
      );
      const timer = await screen.findByRole('timer');
      expect(timer).toHaveTextContent('1:01:03');
      act(() => jest.advanceTimersByTime(2000));
      expect(timer).toHaveTextContent('1:01:05');
    } finally {
      jest.useRealTimers();
    }
  });

  it('shows a 409 from the backend as an error', async () => {
    const detail = makeDetail({ id: 'a5', ref: 'INC-5' });
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () => detail),
      moveIncident: jest.fn(async () => {
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message:
                  "allowed moves from 'investigating': mitigated, resolved",
              },
              response: { statusCode: 409 },
            }),
            { status: 409, headers: { 'Content-Type': 'application/json' } },
          ) as any,
        );
      }),
    });
    const { apis } = await render(detail, { incidentsApi });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge' }),
    );
    await waitFor(() =>
      expect(apis.alertApi.post).toHaveBeenCalledWith({
        message:
          "Could not acknowledge INC-5: allowed moves from 'investigating': mitigated, resolved",
        severity: 'error',
      }),
    );
  });

  it('posts a note to the timeline', async () => {
    const detail = makeDetail({ id: 'a6', ref: 'INC-6' });
    const { apis } = await render(detail);
    await userEvent.click(await screen.findByRole('textbox', { name: 'Note' }));
    await userEvent.paste('DB failover started');
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
    await waitFor(() =>
      expect(apis.incidentsApi.addNote).toHaveBeenCalledWith('a6', {
        message: 'DB failover started',
        links: undefined,
      }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.getTimeline).toHaveBeenCalledTimes(2),
    );
  });

  it('reloads when a signal about this incident arrives', async () => {
    const detail = makeDetail({ id: 'a7', ref: 'INC-7' });
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest
        .fn()
        .mockResolvedValueOnce(detail)
        .mockResolvedValue({ ...detail, status: 'investigating' }),
      getTimeline: jest.fn(async () => [makeEntry()]),
    });
    const { apis } = await render(detail, { incidentsApi });
    await screen.findAllByText('INC-7: Checkout is down');

    const signal = {
      type: 'incident.acknowledged',
      incidentId: 'other',
      ref: 'INC-99',
      title: 'x',
      status: 'investigating',
      severity: 'sev3',
      actor: 'user:default/bob',
    };
    act(() => apis.signalApi.publish('incidents', signal));
    expect(incidentsApi.getIncident).toHaveBeenCalledTimes(1);

    act(() =>
      apis.signalApi.publish('incidents', {
        ...signal,
        incidentId: 'a7',
        ref: 'INC-7',
      }),
    );
    await waitFor(() =>
      expect(incidentsApi.getIncident).toHaveBeenCalledTimes(2),
    );
    expect(apis.alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'INC-7 acknowledged by user:default/bob',
      }),
    );
    expect(
      (await screen.findAllByText('Investigating')).length,
    ).toBeGreaterThan(0);
  });

  it('shows who was paged and reloads it when a page goes out', async () => {
    const detail = makeDetail({ id: 'a8', ref: 'INC-8' });
    const page = {
      id: 'p1',
      incidentId: 'a8',
      recipient: 'user:default/guest',
      round: 0,
      step: 1,
      dueAt: '2026-11-22T05:00:00.000Z',
      createdAt: '2026-11-22T05:00:00.000Z',
      deliveries: [
        {
          pagerId: 'notifications',
          status: 'sent' as const,
          attempts: [{ attempt: 1, at: '2026-11-22T05:00:01.000Z', ok: true }],
        },
      ],
    };
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () => detail),
      listIncidentEscalations: jest
        .fn()
        .mockResolvedValueOnce({ items: [makeEscalation({ pages: [] })] })
        .mockResolvedValue({ items: [makeEscalation({ pages: [page] })] }),
    });
    const { apis } = await render(detail, { incidentsApi });
    const paging = await screen.findByRole('region', {
      name: 'Escalation Payments escalation',
    });
    expect(paging).toHaveTextContent('Nobody paged yet.');
    expect(incidentsApi.listIncidentEscalations).toHaveBeenCalledWith('INC-8');

    act(() =>
      apis.signalApi.publish('incidents', {
        type: 'incident.paged',
        incidentId: 'a8',
        ref: 'INC-8',
        title: 'Checkout is down',
        status: 'open',
        severity: 'sev1',
        actor: 'system:escalation',
      } as any),
    );
    expect(
      await screen.findByRole('region', { name: 'Delivery by notifications' }),
    ).toBeInTheDocument();
    expect(incidentsApi.listIncidentEscalations).toHaveBeenCalledTimes(2);
  });

  it('shows skeletons while loading, then one error with Retry that loads again', async () => {
    const detail = makeDetail({ ref: 'INC-404' });
    let answer: (value: typeof detail) => void = () => {};
    let fail: (error: Error) => void = () => {};
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest
        .fn()
        .mockImplementationOnce(
          () =>
            new Promise((_resolve, reject) => {
              fail = reject;
            }),
        )
        .mockImplementation(
          () =>
            new Promise(resolve => {
              answer = resolve;
            }),
        ),
    });
    await render(detail, { incidentsApi });
    expect(
      screen.getByRole('progressbar', { name: 'Loading INC-404' }),
    ).toBeInTheDocument();
    act(() => fail(new Error('Service unavailable')));
    expect(
      await screen.findByText(/Could not load INC-404/),
    ).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(1);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() =>
      expect(incidentsApi.getIncident).toHaveBeenCalledTimes(2),
    );
    act(() => answer(detail));
    expect(
      await screen.findByRole('region', { name: 'Incident command bar' }),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
  });

  it('shows a not-found page for an unknown reference', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () => {
        throw Object.assign(new Error("Incident 'INC-99999' not found"), {
          statusCode: 404,
        });
      }),
    });
    await render(makeDetail({ ref: 'INC-99999' }), { incidentsApi });
    expect(
      await screen.findByText(/Incident INC-99999 not found/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'All incidents' })).toHaveAttribute(
      'href',
      '/incidents',
    );
    expect(screen.queryByText(/Could not load/)).not.toBeInTheDocument();
  });

  it("shows a storm parent's child count and the storm's alerts", async () => {
    const detail = makeDetail({
      id: 'p1',
      ref: 'INC-40',
      title: 'Alert storm on payments-api',
      openedBy: 'system:storm-detector',
      childCount: 2,
      children: [
        {
          id: 'c1',
          ref: 'INC-41',
          title: 'Ledger',
          status: 'open',
          severity: 'sev2',
        },
        {
          id: 'c2',
          ref: 'INC-42',
          title: 'Cards',
          status: 'open',
          severity: 'sev2',
        },
      ],
    });
    const incidentsApi = createFakeIncidentsApi({
      getIncident: jest.fn(async () => detail),
      listAlerts: jest.fn(async () => ({
        items: [makeAlert({ title: 'Card auth timeouts', incidentId: 'p1' })],
      })),
    });
    await render(detail, { incidentsApi });

    expect(await screen.findByText('Storm incidents (2)')).toBeInTheDocument();
    expect(screen.getByText('2 incidents')).toBeInTheDocument();
    expect(screen.getByText('storm · 2')).toBeInTheDocument();
    expect(await screen.findByText('Card auth timeouts')).toBeInTheDocument();
    expect(incidentsApi.listAlerts).toHaveBeenCalledWith({
      incidentId: 'p1',
      limit: 20,
    });
  });

  it('shows no child count or alerts card on an ordinary incident', async () => {
    const detail = makeDetail({ id: 'a1', ref: 'INC-1' });
    const { apis } = await render(detail);
    await screen.findByText('Summary');
    await waitFor(() =>
      expect(apis.incidentsApi.listAlerts).toHaveBeenCalled(),
    );
    expect(screen.queryByText(/storm ·|children/)).not.toBeInTheDocument();
    expect(screen.queryByText('Alerts')).not.toBeInTheDocument();
  });
});
