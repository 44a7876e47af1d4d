import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makeIncident,
  renderWithApis,
} from '../../../__testUtils__';
import { ActiveIncidentsCardContent } from './ActiveIncidentsCard';

describe('ActiveIncidentsCardContent', () => {
  it('lists active incidents and offers Declare incident', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listIncidents: jest.fn(async () => ({
        items: [
          makeIncident({
            ref: 'INC-3',
            title: 'Alert storm: 6 alerts on component:default/checkout',
            severity: 'sev1',
          }),
        ],
        totalCount: 7,
      })),
    });
    await renderWithApis(<ActiveIncidentsCardContent />, {
      apis: { incidentsApi },
    });
    expect(
      await screen.findByRole('link', {
        name: 'INC-3: Alert storm: 6 alerts on checkout',
      }),
    ).toHaveAttribute('href', '/incidents/INC-3');
    expect(screen.getByText('SEV1')).toBeInTheDocument();
    expect(screen.getByText('All 7 active').closest('a')).toHaveAttribute(
      'href',
      '/incidents',
    );
    expect(incidentsApi.listIncidents).toHaveBeenCalledWith(
      expect.objectContaining({ sort: 'severity', order: 'asc', limit: 5 }),
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Declare incident' }),
    );
    expect(
      await screen.findByRole('dialog', { name: 'New incident' }),
    ).toBeInTheDocument();
  });

  it('says when all is quiet, without Declare for those who may not', async () => {
    await renderWithApis(<ActiveIncidentsCardContent />, {
      apis: { permissionApi: fakePermissionApi([]) },
    });
    expect(
      await screen.findByText('No active incidents. Quiet.'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Declare incident' }),
    ).not.toBeInTheDocument();
  });
});
