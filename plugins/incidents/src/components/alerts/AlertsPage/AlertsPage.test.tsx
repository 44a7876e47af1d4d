import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router-dom';
import {
  AlertListQuery,
  INCIDENTS_SIGNAL_CHANNEL,
} from '@vigil/plugin-incidents-common';
import {
  createFakeIncidentsApi,
  FakeApis,
  fakeSignalApi,
  makeAlert,
  makeDetail,
  renderWithApis,
} from '../../../__testUtils__';
import { AlertsPage } from './AlertsPage';

const firing = makeAlert({ seenCount: 4 });
const unmapped = makeAlert({
  id: 'alert-2',
  fingerprint: 'fp-2',
  title: 'Disk almost full on db-7',
  description: '92% used',
  severity: 'sev3',
  entityRef: undefined,
  incidentId: undefined,
  source: 'generic:monitoring',
});
const resolved = makeAlert({
  id: 'alert-3',
  fingerprint: 'fp-3',
  title: 'Checkout latency',
  status: 'resolved',
  resolvedAt: '2026-11-22T05:05:00.000Z',
  entityRef: 'component:default/checkout',
  incidentId: undefined,
});

function fakeApi() {
  return createFakeIncidentsApi({
    listAlerts: jest.fn(async (query?: AlertListQuery) => {
      if (query?.cursor === 'next') {
        return { items: [resolved] };
      }
      return { items: [firing, unmapped], nextCursor: 'next' };
    }),
    getIncident: jest.fn(async () =>
      makeDetail({ id: 'id-1', ref: 'INC-7', title: 'Payments storm' }),
    ),
  });
}

function render(url = '/incidents/alerts', apis: Partial<FakeApis> = {}) {
  return renderWithApis(
    <Routes>
      <Route path="/incidents/alerts" element={<AlertsPage />} />
    </Routes>,
    { routeEntries: [url], apis: { incidentsApi: fakeApi(), ...apis } },
  );
}

const lastQuery = (api: FakeApis['incidentsApi']): AlertListQuery | undefined =>
  api.listAlerts.mock.calls[api.listAlerts.mock.calls.length - 1][0];

const rowOf = (text: string) => screen.getByText(text).closest('tr')!;

describe('AlertsPage', () => {
  it('renders a row per alert with status, component and incident', async () => {
    const { apis } = await render();

    expect(await screen.findByText(firing.title)).toBeInTheDocument();
    expect(apis.incidentsApi.listAlerts).toHaveBeenCalledWith({ limit: 50 });

    const mapped = rowOf(firing.title);
    expect(within(mapped).getByText('Firing')).toBeInTheDocument();
    expect(within(mapped).getByText('SEV2')).toBeInTheDocument();
    expect(
      within(mapped).getByText('alertmanager:alertmanager-demo'),
    ).toBeInTheDocument();
    expect(
      within(mapped).getByRole('link', { name: /payments-api/ }),
    ).toHaveAttribute('href', '/catalog/default/component/payments-api');
    expect(within(mapped).getByText('4×')).toBeInTheDocument();
    // The incident id is shown by its reference, linking to its war room.
    const incident = await within(mapped).findByRole('link', {
      name: 'INC-7',
    });
    expect(incident).toHaveAttribute('href', '/incidents/INC-7');
    expect(apis.incidentsApi.getIncident).toHaveBeenCalledTimes(1);
    expect(apis.incidentsApi.getIncident).toHaveBeenCalledWith('id-1');

    const other = rowOf(unmapped.title);
    expect(within(other).getByText('unmapped')).toBeInTheDocument();
    expect(within(other).getByText('92% used')).toBeInTheDocument();
    expect(within(other).getByText('none')).toBeInTheDocument();
    expect(within(other).getByText('SEV3')).toBeInTheDocument();
  });

  it('filters by status and unmapped through the query', async () => {
    const { apis } = await render();
    await screen.findByText(firing.title);

    fireEvent.mouseDown(
      within(screen.getByTestId('alert-status-filter')).getByRole('button'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'Resolved' }),
    );
    await waitFor(() =>
      expect(lastQuery(apis.incidentsApi)).toEqual({
        status: 'resolved',
        limit: 50,
      }),
    );

    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Unmapped only' }),
    );
    await waitFor(() =>
      expect(lastQuery(apis.incidentsApi)).toEqual({
        status: 'resolved',
        unmapped: true,
        limit: 50,
      }),
    );
    // An unmapped alert has no component to filter by.
    expect(screen.queryByText('Service')).not.toBeInTheDocument();
  });

  it('takes its filters from the URL, e.g. from an entity card', async () => {
    const { apis } = await render(
      '/incidents/alerts?status=firing&entityRef=component%3Adefault%2Fpayments-api&incidentId=INC-7',
    );
    await screen.findByText(firing.title);
    expect(apis.incidentsApi.listAlerts).toHaveBeenCalledWith({
      status: 'firing',
      entityRef: 'component:default/payments-api',
      incidentId: 'INC-7',
      limit: 50,
    });
    // The incident filter can be dropped.
    const chip = await screen.findByRole('button', { name: /Incident INC-7/ });
    fireEvent.keyUp(chip, { key: 'Delete' });
    await waitFor(() =>
      expect(lastQuery(apis.incidentsApi)).toEqual({
        status: 'firing',
        entityRef: 'component:default/payments-api',
        limit: 50,
      }),
    );
  });

  it('loads more with the cursor and appends the rows', async () => {
    const { apis } = await render();
    await screen.findByText(firing.title);

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await screen.findByText(resolved.title)).toBeInTheDocument();
    expect(lastQuery(apis.incidentsApi)).toEqual({
      cursor: 'next',
      limit: 50,
    });
    // Earlier rows stay; the last page has no cursor, so no more button.
    expect(screen.getByText(firing.title)).toBeInTheDocument();
    expect(within(rowOf(resolved.title)).getByText('Resolved')).toBeTruthy();
    expect(
      screen.queryByRole('button', { name: 'Load more' }),
    ).not.toBeInTheDocument();
    expect(screen.getByText('That is all of them.')).toBeInTheDocument();
  });

  it('reloads the shown alerts when an incident signal arrives', async () => {
    const signalApi = fakeSignalApi();
    const { apis } = await render('/incidents/alerts', { signalApi });
    await screen.findByText(firing.title);
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    await screen.findByText(resolved.title);
    const calls = apis.incidentsApi.listAlerts.mock.calls.length;

    act(() =>
      signalApi.publish(INCIDENTS_SIGNAL_CHANNEL, {
        type: 'incident.updated',
        incidentId: 'id-1',
        ref: 'INC-7',
      } as any),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.listAlerts).toHaveBeenCalledTimes(calls + 1),
    );
    // As many as were shown, in one request from the newest.
    expect(lastQuery(apis.incidentsApi)).toEqual({ limit: 50 });
  });

  it("asks again for an incident's reference that failed, on the next reload", async () => {
    const signalApi = fakeSignalApi();
    const incidentsApi = fakeApi();
    incidentsApi.getIncident.mockRejectedValueOnce(new Error('503'));
    await render('/incidents/alerts', { incidentsApi, signalApi });
    const row = () => within(rowOf(firing.title));
    await waitFor(() =>
      expect(incidentsApi.getIncident).toHaveBeenCalledTimes(1),
    );
    // Until then the id stands in, still linking to the war room.
    expect(await row().findByRole('link', { name: 'id-1…' })).toHaveAttribute(
      'href',
      '/incidents/id-1',
    );

    act(() =>
      signalApi.publish(INCIDENTS_SIGNAL_CHANNEL, {
        type: 'incident.updated',
        incidentId: 'id-1',
        ref: 'INC-7',
      } as any),
    );
    await waitFor(() =>
      expect(incidentsApi.getIncident).toHaveBeenCalledTimes(2),
    );
    expect(await screen.findByRole('link', { name: 'INC-7' })).toHaveAttribute(
      'href',
      '/incidents/INC-7',
    );
  });

  it('says so when no alert matches', async () => {
    const incidentsApi = createFakeIncidentsApi();
    await render('/incidents/alerts', { incidentsApi });
    expect(
      await screen.findByText('No alerts match these filters.'),
    ).toBeInTheDocument();
  });
});
