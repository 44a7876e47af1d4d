import { act, screen, waitFor, within } from '@testing-library/react';
import { INCIDENTS_SIGNAL_CHANNEL } from '@vigil/plugin-incidents-common';
import {
  createFakeIncidentsApi,
  fakeSignalApi,
  makeAlert,
  makeDetail,
  renderWithApis,
} from '../../../__testUtils__';
import { IncidentAlertsCard } from './IncidentAlertsCard';

const parent = makeDetail({
  id: 'p1',
  ref: 'INC-40',
  openedBy: 'system:storm-detector',
  childCount: 1,
  children: [
    {
      id: 'c1',
      ref: 'INC-41',
      title: 'Ledger',
      status: 'open',
      severity: 'sev2',
    },
  ],
});

describe('IncidentAlertsCard', () => {
  it("lists the incident's alerts and links to them in the Alerts view", async () => {
    const incidentsApi = createFakeIncidentsApi({
      listAlerts: jest.fn(async () => ({
        items: [
          makeAlert({ seenCount: 3 }),
          makeAlert({
            id: 'alert-2',
            title: 'Ledger lag',
            status: 'resolved',
            entityRef: undefined,
          }),
        ],
      })),
    });
    await renderWithApis(<IncidentAlertsCard incident={parent} />, {
      apis: { incidentsApi },
    });

    expect(
      await screen.findByText('High error rate on payments-api'),
    ).toBeInTheDocument();
    expect(incidentsApi.listAlerts).toHaveBeenCalledWith({
      incidentId: 'p1',
      limit: 20,
    });
    expect(screen.getByText('1 firing, 1 resolved')).toBeInTheDocument();
    expect(screen.getByText(/seen 3×/)).toBeInTheDocument();
    const ledger = screen.getByText('Ledger lag').closest('li')!;
    expect(within(ledger).getByText('Resolved')).toBeInTheDocument();
    expect(within(ledger).getByText('unmapped')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /View in the Alerts view/ }),
    ).toHaveAttribute('href', '/incidents/alerts?incidentId=INC-40');
  });

  it('renders nothing for an incident without alerts', async () => {
    const { container } = await renderWithApis(
      <IncidentAlertsCard incident={makeDetail()} />,
    );
    await waitFor(() =>
      expect(container.querySelector('[class*="MuiCard"]')).toBeNull(),
    );
    expect(screen.queryByText('Alerts')).not.toBeInTheDocument();
  });

  it('reloads when one of its children changes', async () => {
    const signalApi = fakeSignalApi();
    const incidentsApi = createFakeIncidentsApi({
      listAlerts: jest.fn(async () => ({ items: [makeAlert()] })),
    });
    await renderWithApis(<IncidentAlertsCard incident={parent} />, {
      apis: { incidentsApi, signalApi },
    });
    await screen.findByText('High error rate on payments-api');
    expect(incidentsApi.listAlerts).toHaveBeenCalledTimes(1);

    act(() =>
      signalApi.publish(INCIDENTS_SIGNAL_CHANNEL, {
        type: 'incident.updated',
        incidentId: 'unrelated',
        ref: 'INC-2',
      } as any),
    );
    act(() =>
      signalApi.publish(INCIDENTS_SIGNAL_CHANNEL, {
        type: 'incident.updated',
        incidentId: 'c1',
        ref: 'INC-41',
      } as any),
    );
    await waitFor(() =>
      expect(incidentsApi.listAlerts).toHaveBeenCalledTimes(2),
    );
  });
});
