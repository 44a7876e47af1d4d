import {
  act,
  configure,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router-dom';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentsApi, ListIncidentsQuery } from '../../../api';
import { IncidentsTable } from './IncidentsTable';

// The table is heavy to render: give a busy machine time.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

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

/** What the tab counts (single-row lists) answer, by status. */
const COUNTS: Record<string, number> = {
  open: 2,
  investigating: 1,
  mitigated: 0,
  all: 7,
};

function setup(overrides: Partial<IncidentsApi> = {}) {
  return createFakeIncidentsApi({
    listIncidents: jest.fn(async query => {
      if (query?.limit === 1) {
        const status = query.status?.length ? query.status[0] : 'all';
        return { items: [], totalCount: COUNTS[status] };
      }
      return query?.cursor === 'cursor-2' ? page2 : page1;
    }),
    ...overrides,
  });
}

/** The last page asked for (not a tab count). */
const lastQuery = (api: ReturnType<typeof setup>): ListIncidentsQuery =>
  api.listIncidents.mock.calls
    .map(call => call[0] ?? {})
    .filter(query => query.limit !== 1)
    .pop() ?? {};

/** The query string, as the address bar would show it. */
const Location = () => <div data-testid="search">{useLocation().search}</div>;
const search = () =>
  new URLSearchParams(screen.getByTestId('search').textContent ?? '');

const render = (
  api: ReturnType<typeof setup>,
  options: { url?: string; permissionApi?: any } = {},
) =>
  renderWithApis(
    <>
      <IncidentsTable notify />
      <Location />
    </>,
    {
      apis: {
        incidentsApi: api,
        ...(options.permissionApi && { permissionApi: options.permissionApi }),
      },
      routeEntries: options.url ? [options.url] : undefined,
    },
  );

describe('IncidentsTable', () => {
  it('lists active incidents, most severe and oldest first, with tab counts', async () => {
    const incidentsApi = setup();
    await render(incidentsApi);

    const link = await screen.findByRole('link', { name: 'INC-1' });
    expect(link).toHaveAttribute('href', '/incidents/INC-1');
    expect(screen.getByText('Slow search')).toBeInTheDocument();
    expect(screen.getByText('SEV1')).toBeInTheDocument();
    expect(screen.getByText('Investigating')).toBeInTheDocument();
    expect(screen.getAllByText('payments-api')[0].closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api',
    );
    expect(screen.getByText('1–2 of 3')).toBeInTheDocument();
    expect(lastQuery(incidentsApi)).toMatchObject({
      status: ['open', 'investigating', 'mitigated'],
      sort: 'severity',
      order: 'asc',
      limit: 25,
    });
    expect(
      await screen.findByRole('tab', { name: 'Active (3)', selected: true }),
    ).toBeInTheDocument();
    for (const name of ['Open (2)', 'Investigating (1)', 'Mitigated (0)']) {
      expect(screen.getByRole('tab', { name })).toBeInTheDocument();
    }
    expect(screen.getByRole('tab', { name: 'All (7)' })).toBeInTheDocument();
    // the defaults stay out of the address
    expect(search().toString()).toBe('');
    expect(
      screen.getByRole('columnheader', { name: 'Severity' }),
    ).toHaveAttribute('aria-sort', 'ascending');
    expect(
      screen.getByRole('columnheader', { name: 'Created' }),
    ).toHaveAttribute('aria-sort', 'none');
    expect(
      screen.getByRole('columnheader', { name: 'Assignee' }),
    ).not.toHaveAttribute('aria-sort');
    expect(screen.getByLabelText('Severity')).toBeInTheDocument();
  });

  it('keeps tab, scope and filters in the query string', async () => {
    const incidentsApi = setup();
    await render(incidentsApi);
    await screen.findByText('Checkout is down');

    await userEvent.click(screen.getByRole('tab', { name: /^Open/ }));
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ status: ['open'] }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'My team' }));
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({
        owner: ['group:default/sre'],
      }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Mine' }));
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({
        participant: 'user:default/guest',
        owner: undefined,
      }),
    );
    expect(screen.getByRole('button', { name: 'Mine' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );

    fireEvent.mouseDown(
      within(screen.getByTestId('severity-filter')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /SEV1 \(critical\)/ }),
    );
    await userEvent.keyboard('{Escape}');
    await userEvent.type(screen.getByLabelText('Search incidents'), 'checkout');
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({
        status: ['open'],
        severity: ['sev1'],
        q: 'checkout',
      }),
    );
    expect(Object.fromEntries(search())).toEqual({
      tab: 'open',
      scope: 'mine',
      severity: 'sev1',
      q: 'checkout',
    });
  });

  it('starts from the query string, as after a reload or a shared link', async () => {
    const incidentsApi = setup();
    await render(incidentsApi, {
      url: '/?tab=all&scope=team&severity=sev1&severity=sev2&sort=openedAt&order=desc&q=db&service=component:default/checkout&cursor=cursor-2',
    });
    expect(await screen.findByText('Old one')).toBeInTheDocument();
    expect(lastQuery(incidentsApi)).toMatchObject({
      status: [],
      owner: ['group:default/sre'],
      severity: ['sev1', 'sev2'],
      sort: 'openedAt',
      order: 'desc',
      q: 'db',
      entityRef: 'component:default/checkout',
      cursor: 'cursor-2',
    });
    expect(screen.getByRole('tab', { name: /^All/ })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(screen.getByLabelText('Search incidents')).toHaveValue('db');
  });

  it('sorts on the server when a column header is clicked', async () => {
    const incidentsApi = setup();
    await render(incidentsApi);
    await screen.findByText('Checkout is down');

    await userEvent.click(screen.getByRole('button', { name: 'Created' }));
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ sort: 'openedAt' }),
    );
    expect(search().get('sort')).toBe('openedAt');
    const severity = screen.getByRole('button', { name: 'Severity' });
    await userEvent.click(severity);
    await waitFor(() =>
      expect(lastQuery(incidentsApi)).toMatchObject({ sort: 'severity' }),
    );
    const firstOrder = lastQuery(incidentsApi).order;
    await userEvent.click(severity);
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

  it('pages forward and back with cursors kept in the address', async () => {
    const incidentsApi = setup();
    await render(incidentsApi);
    await screen.findByText('Checkout is down');

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(await screen.findByText('Old one')).toBeInTheDocument();
    expect(lastQuery(incidentsApi)).toMatchObject({ cursor: 'cursor-2' });
    expect(search().getAll('cursor')).toEqual(['cursor-2']);
    expect(screen.getByText('26–26 of 3')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Previous' }));
    expect(await screen.findByText('Checkout is down')).toBeInTheDocument();
    expect(lastQuery(incidentsApi).cursor).toBeUndefined();
    expect(search().has('cursor')).toBe(false);
  });

  it('shows one error with a Retry, not an empty list', async () => {
    let fail = true;
    const incidentsApi = setup({
      listIncidents: jest.fn(async () => {
        if (fail) {
          throw new Error('Backend unavailable');
        }
        return page1;
      }),
    });
    await render(incidentsApi);

    expect(
      await screen.findByText(/Could not list incidents/),
    ).toBeInTheDocument();
    expect(screen.getAllByText(/Could not list incidents/)).toHaveLength(1);
    expect(
      screen.queryByText('No incidents match these filters.'),
    ).not.toBeInTheDocument();

    fail = false;
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Checkout is down')).toBeInTheDocument();
    expect(
      screen.queryByText(/Could not list incidents/),
    ).not.toBeInTheDocument();
  });

  it('acknowledges and resolves from the rows for those allowed', async () => {
    const incidentsApi = setup();
    await render(incidentsApi);
    await screen.findByText('Checkout is down');

    // INC-1 is open, INC-2 investigating
    const ack = await screen.findByRole('button', {
      name: 'Acknowledge INC-1',
    });
    expect(
      screen.queryByRole('button', { name: 'Acknowledge INC-2' }),
    ).not.toBeInTheDocument();
    const calls = incidentsApi.listIncidents.mock.calls.length;
    await userEvent.click(ack);
    expect(incidentsApi.moveIncident).toHaveBeenCalledWith(
      'id-1',
      'investigating',
      undefined,
      'portal',
    );
    await waitFor(() =>
      expect(incidentsApi.listIncidents.mock.calls.length).toBeGreaterThan(
        calls,
      ),
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Resolve INC-2' }),
    );
    expect(incidentsApi.moveIncident).toHaveBeenCalledWith(
      'id-2',
      'resolved',
      undefined,
      'portal',
    );
  });

  it('offers no row actions without the permissions', async () => {
    const permissionApi = fakePermissionApi([]);
    await render(setup(), { permissionApi });
    await screen.findByText('Checkout is down');
    await waitFor(() => expect(permissionApi.authorize).toHaveBeenCalled());
    expect(
      screen.queryByRole('button', { name: /Acknowledge|Resolve/ }),
    ).not.toBeInTheDocument();
  });

  it('refreshes and toasts when a signal arrives', async () => {
    const incidentsApi = setup();
    const { apis } = await render(incidentsApi);
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
      expect(incidentsApi.listIncidents.mock.calls.length).toBeGreaterThan(
        calls,
      ),
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
