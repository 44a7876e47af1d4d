import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeIncident, renderWithApis } from '../../../__testUtils__';
import { MergeIncidentButton } from './MergeIncidentButton';

describe('MergeIncidentButton', () => {
  it('merges into the named incident', async () => {
    const onMerged = jest.fn();
    const { apis } = await renderWithApis(
      <MergeIncidentButton incident={makeIncident()} onMerged={onMerged} />,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Merge…' }));
    await userEvent.type(
      screen.getByRole('textbox', { name: 'Merge into' }),
      'INC-12',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Merge' }));

    await waitFor(() => expect(onMerged).toHaveBeenCalled());
    expect(apis.incidentsApi.mergeIncident).toHaveBeenCalledWith(
      'id-1',
      'INC-12',
    );
  });
});
