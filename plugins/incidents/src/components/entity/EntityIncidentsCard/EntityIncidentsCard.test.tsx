import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { ListIncidentsQuery } from '../../../api';
import {
  createFakeIncidentsApi,
  makeIncident,
  makePostmortem,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityIncidentsCard } from './EntityIncidentsCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', title: 'Payments API' },
  spec: { type: 'service' },
};

const active = makeIncident({
  id: 'a',
  ref: 'INC-8',
  title: 'Card declines',
  status: 'investigating',
});
const resolved = makeIncident({
  id: 'r',
  ref: 'INC-2',
  title: 'Old latency',
  status: 'resolved',
  resolvedAt: '2026-11-22T06:00:00.000Z',
});

function fakeApi() {
  return createFakeIncidentsApi({
    listIncidents: jest.fn(async (query?: ListIncidentsQuery) =>
      query?.status?.includes('open')
        ? { items: [active], totalCount: 1 }
        : { items: [resolved], totalCount: 1 },
    ),
  });
}

describe('EntityIncidentsCard', () => {
  it("lists the entity's published postmortems in a Postmortems section", async () => {
    const incidentsApi = fakeApi();
    incidentsApi.listPostmortems.mockResolvedValue({
      items: [
        makePostmortem({
          status: 'published',
          publishedAt: '2026-11-23T08:00:00.000Z',
        }),
      ],
      totalCount: 1,
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard recentLimit={3} />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    const section = await screen.findByRole('region', { name: 'Postmortems' });
    expect(
      within(section).getByRole('link', {
        name: 'Postmortem: INC-1 Checkout is down',
      }),
    ).toHaveAttribute('href', '/incidents/INC-1/postmortem');
    expect(incidentsApi.listPostmortems).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      status: ['published'],
      limit: 3,
    });
  });

  it('leaves the postmortems out when showPostmortems is off', async () => {
    const incidentsApi = fakeApi();
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard showPostmortems={false} />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    await screen.findByRole('region', { name: 'Active (1)' });
    expect(screen.queryByRole('region', { name: 'Postmortems' })).toBeNull();
    expect(incidentsApi.listPostmortems).not.toHaveBeenCalled();
  });

  it('shows active and recent incidents of the entity', async () => {
    const incidentsApi = fakeApi();
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard recentLimit={3} />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );

    const activeList = await screen.findByRole('region', {
      name: 'Active (1)',
    });
    expect(
      within(activeList).getByRole('link', { name: 'INC-8: Card declines' }),
    ).toHaveAttribute('href', '/incidents/INC-8');
    expect(within(activeList).queryByText(/Old latency/)).toBeNull();

    const recentList = screen.getByRole('region', { name: 'Recent' });
    expect(
      within(recentList).getByText('INC-2: Old latency'),
    ).toBeInTheDocument();

    expect(incidentsApi.listIncidents).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      status: ['open', 'investigating', 'mitigated'],
      limit: 50,
    });
    expect(incidentsApi.listIncidents).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
      status: ['resolved', 'postmortem', 'cancelled'],
      sort: 'openedAt',
      order: 'desc',
      limit: 3,
    });
  });

  it('opens the new-incident form prefilled with the entity', async () => {
    const { apis } = await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard />
      </EntityProvider>,
      { apis: { incidentsApi: fakeApi() } },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Open incident' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(await within(dialog).findByText('Payments API')).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: /Title/ }),
      'Payments down',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open incident' }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.openIncident).toHaveBeenCalledWith(
        expect.objectContaining({
          title: 'Payments down',
          affectedServices: ['component:default/payments-api'],
        }),
      ),
    );
  });

  it('hides the button when read-only and can skip recent incidents', async () => {
    const incidentsApi = fakeApi();
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityIncidentsCard readOnly showRecent={false} />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    await screen.findByRole('region', { name: 'Active (1)' });
    expect(
      screen.queryByRole('button', { name: 'Open incident' }),
    ).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Recent' })).toBeNull();
    expect(incidentsApi.listIncidents).toHaveBeenCalledTimes(1);
  });
});
