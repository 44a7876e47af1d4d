import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { DateTime } from 'luxon';
import {
  createFakeIncidentsApi,
  makePolicy,
  makeSchedule,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityOnCallCard } from './EntityOnCallCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api' },
  spec: { type: 'service' },
};

describe('EntityOnCallCard', () => {
  it('shows who is on call for the entity and until when', async () => {
    const end = DateTime.now().plus({ hours: 3, minutes: 30 }).toISO()!;
    const incidentsApi = createFakeIncidentsApi({
      getOncallNow: jest.fn(async () => ({
        items: [
          {
            schedule: { id: 'payments', name: 'Payments primary' },
            user: 'user:default/alice',
            start: DateTime.now().minus({ days: 1 }).toISO()!,
            end,
            isOverride: true,
          },
        ],
      })),
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityOnCallCard />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );

    expect(await screen.findByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.getByText('On call')).toBeInTheDocument();
    expect(screen.getByText('Payments primary')).toBeInTheDocument();
    expect(screen.getByText(/until in 3 hours/)).toBeInTheDocument();
    expect(screen.getByText('Override')).toBeInTheDocument();
    expect(incidentsApi.getOncallNow).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });
  });

  it('explains how to set up a schedule when there is none', async () => {
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityOnCallCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText(
        'No on-call schedule for this component (set the vigil.dev/oncall-schedule annotation on it or its owner group)',
      ),
    ).toBeInTheDocument();
  });

  it('shows an error when the backend fails', async () => {
    const incidentsApi = createFakeIncidentsApi({
      getOncallNow: jest.fn(async () => {
        throw new Error('backend down');
      }),
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityOnCallCard />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );
    expect((await screen.findAllByText(/backend down/)).length).toBeGreaterThan(
      0,
    );
  });

  it('shows the escalation steps behind the on-call person', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listEscalationPolicies: jest.fn(async () => ({
        items: [makePolicy()],
        pagingSeverities: ['sev1' as const, 'sev2' as const],
      })),
      listSchedules: jest.fn(async () => ({
        items: [
          makeSchedule({ id: 'payments-primary', name: 'Payments primary' }),
        ],
      })),
    });
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityOnCallCard />
      </EntityProvider>,
      { apis: { incidentsApi } },
    );

    const escalation = await screen.findByRole('region', {
      name: 'Escalation',
    });
    expect(
      within(escalation).getByText('Payments escalation, for SEV1, SEV2'),
    ).toBeInTheDocument();
    const steps = within(escalation).getAllByRole('listitem');
    expect(steps[0]).toHaveTextContent(
      'Step 1: on call for Payments primaryPages at once',
    );
    expect(steps[1]).toHaveTextContent(
      'Step 2: carol, members of srePages after 5m unacknowledged',
    );
    expect(within(steps[1]).getByRole('link', { name: 'sre' })).toHaveAttribute(
      'href',
      '/catalog/default/group/sre',
    );
    expect(incidentsApi.listEscalationPolicies).toHaveBeenCalledWith({
      entityRef: 'component:default/payments-api',
    });
  });

  it('says when no policy pages for the component', async () => {
    await renderWithApis(
      <EntityProvider entity={entity}>
        <EntityOnCallCard />
      </EntityProvider>,
    );
    expect(
      await screen.findByText('No escalation policy pages for this component.'),
    ).toBeInTheDocument();
  });
});
