import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { ListIncidentsQuery } from '../../../api';
import { IncidentsTable } from './IncidentsTable';

const page1 = {
  items: [
    makeIncident(),
    makeIncident({
      id: 'id-2',
      ref: 'INC-2',
      title: 'Slow search',
      severity: 'sev3',
      status: 'investigating',
      responder: 'user:default/bob',
    }),
  ],
  nextCursor: 'cursor-2',
  totalCount: 3,
};
const page2 = {
  items: [makeIncident({ id: 'id-3', ref: 'INC-3', title: 'Old one' })],
  totalCount: 3,
};

function setup() {
  const incidentsApi = createFakeIncidentsApi({
    listIncidents: jest.fn(async query =>
      query?.cursor === 'cursor-2' ? page2 : page1,
    ),
  });
  return incidentsApi;
}

const lastQuery = (api: ReturnType<typeof setup>): ListIncidentsQuery =>
  api.listIncidents.mock.calls[api.listIncidents.mock.calls.length - 1][0] ??
  {};

describe('IncidentsTable', () => {
  it('renders a row per incident with links', async () => {
    const incidentsApi = setup();
    await renderWithApis(<IncidentsTable />, { apis: { incidentsApi } });

    const link = await screen.findByRole('link', { name: 'INC-1' });
    expect(link).toHaveAttribute('href', '/incidents/INC-1');
    expect(screen.getByText('Checkout is down')).toBeInTheDocument();
    expect(screen.getByText('Slow search')).toBeInTheDocument();
    expect(screen.getByText('SEV1')).toBeInTheDocument();
    expect(screen.getByText('Investigating')).toBeInTheDocument();
    expect(screen.getAllByText('payments-api')[0].closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api',
    );
    expect(screen.getByText('1–2 of 3')).toBeInTheDocument();
    expect(lastQuery(incidentsApi)).toMatchObject({
      sort: 'openedAt',
      order: 'desc',
      limit: 25,
    });
  });

  it('asks the API for the chosen filters', async () => {
    const incidentsApi = setup();
    await renderWithApis(<IncidentsTable />, { apis: { incidentsApi } });
    await screen.findByText('Checkout is down');

    fireEvent.mouseDown(
      within(screen.getByTestId('severity-filter')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /SEV1 \(critical\)/ }),
    );
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ severity: ['sev1'] }),
    );
    await userEvent.keyboard('{Escape}');

    await userEvent.click(
      screen.getByRole('checkbox', { name: "My team's incidents" }),
    );
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({
        severity: ['sev1'],
        owner: ['group:default/sre'],
      }),
    );

    await userEvent.type(screen.getByLabelText('Search incidents'), 'checkout');
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ q: 'checkout' }),
    );
  });

  it('sorts on the server when a column header is clicked', async () => {
    const incidentsApi = setup();
    await renderWithApis(<IncidentsTable />, { apis: { incidentsApi } });
    await screen.findByText('Checkout is down');

    const header = screen.getByRole('button', { name: 'Severity' });
    await userEvent.click(header);
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ sort: 'severity' }),
    );
    const firstOrder = lastQuery(incidentsApi).order;

    await userEvent.click(header);
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({
        sort: 'severity',
        order: firstOrder === 'asc' ? 'desc' : 'asc',
      }),
    );
    expect(
      screen.queryByRole('button', { name: 'Assignee' }),
    ).not.toBeInTheDocument();
  });

  it('pages forward and back with cursors', async () => {
    const incidentsApi = setup();
    await renderWithApis(<IncidentsTable />, { apis: { incidentsApi } });
    await screen.findByText('Checkout is down');

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('Old one')).toBeInTheDocument();
    expect(lastQuery(incidentsApi)).toMatchObject({ cursor: 'cursor-2' });
    expect(screen.getByText('26–26 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('Checkout is down')).toBeInTheDocument();
    expect(lastQuery(incidentsApi).cursor).toBeUndefined();
  });

  it('refreshes and toasts when a signal arrives', async () => {
    const incidentsApi = setup();
    const { apis } = await renderWithApis(<IncidentsTable notify />, {
      apis: { incidentsApi },
    });
    await screen.findByText('Checkout is down');
    const calls = incidentsApi.listIncidents.mock.calls.length;

    act(() =>
      apis.signalApi.publish('incidents', {
        type: 'incident.opened',
        incidentId: 'id-4',
        ref: 'INC-4',
        title: 'New trouble',
        status: 'open',
        severity: 'sev2',
        actor: 'user:default/alice',
      }),
    );

    await waitFor(() =>
      expect(incidentsApi.listIncidents.mock.calls.length).toBe(calls + 1),
    );
    expect(apis.alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'INC-4 opened by user:default/alice: New trouble',
        severity: 'info',
      }),
    );
  });

  it('filters by a fixed entity and hides the service filter', async () => {
    const incidentsApi = setup();
    await renderWithApis(
      <IncidentsTable entityRef="component:default/checkout" />,
      { apis: { incidentsApi } },
    );
    await screen.findByText('Checkout is down');
    expect(lastQuery(incidentsApi)).toMatchObject({
      entityRef: 'component:default/checkout',
    });
    expect(screen.queryByText('Service')).not.toBeInTheDocument();
  });

  it('marks storm parents and incidents with children next to the title', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [
          makeIncident({
            id: 'p',
            ref: 'INC-40',
            title: 'Alert storm on payments-api',
            openedBy: 'system:storm-detector',
            childCount: 6,
          }),
          makeIncident({
            id: 'm',
            ref: 'INC-41',
            title: 'Checkout errors',
            childCount: 2,
          }),
          makeIncident({ id: 'l', ref: 'INC-42', title: 'Lonely one' }),
        ],
        totalCount: 3,
      })),
    });
    await renderWithApis(<IncidentsTable />, { apis: { incidentsApi } });

    const row = async (title: string) =>
      within((await screen.findByText(title)).closest('tr')!);
    expect(
      (await row('Alert storm on payments-api')).getByText('storm · 6'),
    ).toBeInTheDocument();
    expect(
      (await row('Checkout errors')).getByText('2 children'),
    ).toBeInTheDocument();
    expect(
      (await row('Lonely one')).queryByText(/storm|child/),
    ).not.toBeInTheDocument();
    expect(screen.getAllByText(/storm · \d+/)).toHaveLength(1);
  });
});
