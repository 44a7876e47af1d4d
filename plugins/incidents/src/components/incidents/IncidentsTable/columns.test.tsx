import { screen } from '@testing-library/react';
import { makeIncident, renderWithApis } from '../../../__testUtils__';
import { incidentColumns } from './columns';

const columns = (compact: boolean) =>
  incidentColumns({
    linkTo: ref => `/incidents/${ref}`,
    sort: { field: 'severity', order: 'asc' },
    onMoved: jest.fn(),
    compact,
  });

const column = (compact: boolean, title: string) =>
  columns(compact).find(c => c.title === title)!;

describe('incidentColumns', () => {
  it('puts the row actions under the state on a phone, not in a column past the edge', async () => {
    expect(column(true, 'Actions').hidden).toBe(true);
    const incident = makeIncident({ ref: 'INC-1', status: 'open' });
    await renderWithApis(
      <>{column(true, 'Status').render!(incident, 'row')}</>,
    );
    expect(screen.getByText('Open')).toBeInTheDocument();
    expect(
      await screen.findByRole('button', { name: 'Acknowledge INC-1' }),
    ).toBeInTheDocument();
  });

  it('keeps an Actions column on a wide screen', async () => {
    expect(column(false, 'Actions').hidden).toBeFalsy();
    await renderWithApis(
      <>{column(false, 'Status').render!(makeIncident(), 'row')}</>,
    );
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });
});
