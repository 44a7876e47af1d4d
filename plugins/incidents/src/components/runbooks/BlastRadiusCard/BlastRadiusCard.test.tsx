import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  makeBlastRadius,
  makeDetail,
  renderWithApis,
} from '../../../__testUtils__';
import { BlastRadiusCard } from './BlastRadiusCard';

const incident = makeDetail({
  affectedServices: ['component:default/payments-api'],
});

describe('BlastRadiusCard', () => {
  it('groups dependents by owning team with their depth', async () => {
    await renderWithApis(
      <BlastRadiusCard incident={incident} canNotify={false} />,
    );
    const web = await screen.findByRole('region', {
      name: 'group:default/team-web',
    });
    const rows = within(web).getAllByRole('listitem');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('depth 1');
    expect(rows[0]).toHaveTextContent('checkout-web');
    expect(rows[0]).toHaveTextContent('depends on');
    expect(rows[1]).toHaveTextContent('depth 2');
    expect(rows[1]).toHaveTextContent('storefront');
    const mobile = screen.getByRole('region', {
      name: 'group:default/team-mobile',
    });
    expect(mobile).toHaveTextContent('consumes');
    expect(screen.getByText('3 dependents, 2 teams')).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Notify owners' }),
    ).not.toBeInTheDocument();
  });

  it('notifies the owners when allowed, then refreshes', async () => {
    const onNotified = jest.fn();
    const { apis } = await renderWithApis(
      <BlastRadiusCard incident={incident} canNotify onNotified={onNotified} />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Notify owners' }),
    );
    await waitFor(() => expect(onNotified).toHaveBeenCalled());
    expect(apis.incidentsApi.notifyBlastRadiusOwners).toHaveBeenCalledWith(
      'id-1',
    );
  });

  it('says so when nothing depends on the affected components', async () => {
    await renderWithApis(<BlastRadiusCard incident={incident} canNotify />, {
      apis: {
        incidentsApi: createFakeIncidentsApi({
          getIncidentBlastRadius: jest.fn(async () =>
            makeBlastRadius({ dependents: [], teams: [] }),
          ),
        }),
      },
    });
    expect(
      await screen.findByText(
        'Nothing in the catalog depends on the affected components.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Notify owners' })).toBeNull();
  });
});
