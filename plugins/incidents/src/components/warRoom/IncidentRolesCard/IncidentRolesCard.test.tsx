import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeIncident, renderWithApis } from '../../../__testUtils__';
import { IncidentRolesCard } from './IncidentRolesCard';

const incident = makeIncident({
  commander: 'user:default/alice',
  roles: { responders: ['user:default/bob'] },
});

describe('IncidentRolesCard', () => {
  it('shows the roles without an edit button for viewers', async () => {
    await renderWithApis(
      <IncidentRolesCard
        incident={incident}
        canEdit={false}
        onChange={jest.fn()}
      />,
    );
    expect(screen.getByRole('link', { name: /alice/ })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(screen.getByRole('link', { name: /bob/ })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Edit roles' }),
    ).not.toBeInTheDocument();
  });

  it('lists whoever acknowledged among the responders', async () => {
    await renderWithApis(
      <IncidentRolesCard
        incident={{ ...incident, responder: 'user:default/carol' }}
        canEdit={false}
        onChange={jest.fn()}
      />,
    );
    expect(screen.getByRole('link', { name: /carol/ })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /bob/ })).toBeInTheDocument();
  });

  it('patches the roles', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <IncidentRolesCard incident={incident} canEdit onChange={onChange} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Edit roles' }));
    await userEvent.click(screen.getByTestId('role-commsOwner-expand'));
    await userEvent.click(
      await screen.findByRole('option', { name: /Carol Nguyen/ }),
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Responders' }),
      ', dave',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.updateIncident).toHaveBeenCalledWith('id-1', {
      roles: {
        commander: 'user:default/alice',
        commsOwner: 'user:default/carol',
        technicalLead: undefined,
        responders: ['user:default/bob', 'user:default/dave'],
      },
    });
  });

  it('refuses what is not a user reference', async () => {
    const { apis } = await renderWithApis(
      <IncidentRolesCard incident={incident} canEdit onChange={jest.fn()} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Edit roles' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Responders' }),
      ', group:default/sre',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('Not a user reference')).toBeInTheDocument();
    expect(apis.incidentsApi.updateIncident).not.toHaveBeenCalled();
  });
});
