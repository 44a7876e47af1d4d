import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeIncident, renderWithApis } from '../../../__testUtils__';
import { ImpactCard } from './ImpactCard';

const incident = makeIncident({
  impact: { businessImpact: 'No card payments' },
  rootCause: { hypothesis: 'Bad deploy' },
});

describe('ImpactCard', () => {
  it('shows impact and cause, read-only for viewers', async () => {
    await renderWithApis(
      <ImpactCard incident={incident} canEdit={false} onChange={jest.fn()} />,
    );
    expect(screen.getByText('No card payments')).toBeInTheDocument();
    expect(screen.getByText('Bad deploy')).toBeInTheDocument();
    expect(screen.getByText('not yet')).toBeInTheDocument();
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it('saves edits and marks the cause identified', async () => {
    const onChange = jest.fn();
    const { apis } = await renderWithApis(
      <ImpactCard incident={incident} canEdit onChange={onChange} />,
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Edit impact and root cause' }),
    );
    await userEvent.type(
      screen.getByRole('spinbutton', { name: 'Affected users' }),
      '1200',
    );
    await userEvent.clear(screen.getByRole('textbox', { name: 'Hypothesis' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Confirmed cause' }),
      'Expired certificate',
    );
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Root cause identified' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(onChange).toHaveBeenCalled());
    expect(apis.incidentsApi.updateIncident).toHaveBeenCalledWith('id-1', {
      impact: { affectedUsers: 1200, businessImpact: 'No card payments' },
      rootCause: {
        hypothesis: '',
        confirmedCause: 'Expired certificate',
        trigger: undefined,
      },
      identified: true,
    });
  });
});
