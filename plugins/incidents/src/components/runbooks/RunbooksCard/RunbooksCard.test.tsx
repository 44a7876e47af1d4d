import { screen, within } from '@testing-library/react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  createFakeIncidentsApi,
  makeDetail,
  makeRunbooks,
  renderWithApis,
} from '../../../__testUtils__';
import { EntityRunbooksCard } from '../EntityRunbooksCard';
import { RunbooksCard } from './RunbooksCard';

describe('RunbooksCard', () => {
  it('lists runbooks with what they are for and where they came from', async () => {
    const { apis } = await renderWithApis(
      <RunbooksCard incident={makeDetail()} />,
    );
    expect(apis.incidentsApi.getIncidentRunbooks).toHaveBeenCalledWith('id-1');
    const link = await screen.findByRole('link', { name: /Payments runbook/ });
    expect(link).toHaveAttribute('href', 'https://runbooks.example/payments');
    const items = screen.getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('payments-api');
    expect(items[0]).toHaveTextContent('catalog link, config');
    expect(items[1]).toHaveTextContent('Runbook: CheckoutErrors');
    expect(items[1]).toHaveTextContent('alert CheckoutErrors');
    expect(items[1]).toHaveTextContent('alert');
  });

  it('runs an automation in the scaffolder, prefilled', async () => {
    await renderWithApis(<RunbooksCard incident={makeDetail()} />);
    const run = await screen.findByRole('button', { name: 'Run Restart pods' });
    expect(run).toHaveAttribute(
      'href',
      '/create/templates/default/restart-pods?formData=%7B%22incident%22%3A%22INC-7%22%7D',
    );
    expect(
      within(run.closest('li')!).getByText('Rolling restart of the pods'),
    ).toBeInTheDocument();
  });

  it('says how to add runbooks when there are none', async () => {
    await renderWithApis(<RunbooksCard incident={makeDetail()} />, {
      apis: {
        incidentsApi: createFakeIncidentsApi({
          getIncidentRunbooks: jest.fn(async () => ({
            runbooks: [],
            automations: [],
          })),
        }),
      },
    });
    expect(
      await screen.findByText(/No runbooks: add catalog links of type runbook/),
    ).toBeInTheDocument();
  });

  it("shows a component's runbooks on its page", async () => {
    const { apis } = await renderWithApis(
      <EntityProvider
        entity={{
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'payments-api', namespace: 'default' },
        }}
      >
        <EntityRunbooksCard />
      </EntityProvider>,
      {
        apis: {
          incidentsApi: createFakeIncidentsApi({
            getEntityRunbooks: jest.fn(async () =>
              makeRunbooks({ automations: [] }),
            ),
          }),
        },
      },
    );
    expect(
      await screen.findByRole('link', { name: /Payments runbook/ }),
    ).toBeInTheDocument();
    expect(apis.incidentsApi.getEntityRunbooks).toHaveBeenCalledWith(
      'component:default/payments-api',
    );
    expect(screen.queryByRole('button', { name: /^Run / })).toBeNull();
  });
});
