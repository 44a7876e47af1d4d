import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fetchApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider } from '@backstage/test-utils';
import { DateTime } from 'luxon';
import {
  createFakeIncidentsApi,
  makeSchedule,
  makeSlot,
  renderWithApis,
} from '../../__testUtils__';
import { OncallPage } from './OncallPage';

function fakeApi() {
  return createFakeIncidentsApi({
    getOncallNow: jest.fn(async () => ({
      items: [
        {
          schedule: { id: 'sre', name: 'SRE primary' },
          user: 'user:default/alice',
          end: DateTime.now().plus({ hours: 5, minutes: 30 }).toISO()!,
        },
        {
          schedule: { id: 'db', name: 'Databases' },
          user: 'user:default/carol',
          end: DateTime.now().plus({ days: 2 }).toISO()!,
          isOverride: true,
        },
      ],
    })),
    listSchedules: jest.fn(async () => ({
      items: [
        makeSchedule(),
        makeSchedule({ id: 'db', name: 'Databases' }),
        makeSchedule({ id: 'old', name: 'Retired', active: false }),
      ],
    })),
    listScheduleSlots: jest.fn(async (scheduleId: string) => ({
      items:
        scheduleId === 'sre'
          ? [
              makeSlot({ id: 's1', userRef: 'user:default/alice' }),
              makeSlot({
                id: 's2',
                userRef: 'user:default/bob',
                start: '2026-11-30T08:00:00.000Z',
                end: '2026-12-07T08:00:00.000Z',
              }),
            ]
          : [
              makeSlot({
                id: 'd1',
                scheduleId: 'db',
                userRef: 'user:default/dave',
                start: '2026-11-24T08:00:00.000Z',
                isOverride: true,
              }),
            ],
    })),
  });
}

describe('OncallPage', () => {
  it('shows who is on call per schedule', async () => {
    await renderWithApis(<OncallPage />, {
      apis: { incidentsApi: fakeApi() },
    });

    const sre = await screen.findByRole('region', {
      name: 'On call: SRE primary',
    });
    expect(within(sre).getByRole('link', { name: 'alice' })).toHaveAttribute(
      'href',
      '/catalog/default/user/alice',
    );
    expect(within(sre).getByText(/Until in 5 hours/)).toBeInTheDocument();
    expect(within(sre).queryByText('Override')).toBeNull();

    const db = screen.getByRole('region', { name: 'On call: Databases' });
    expect(within(db).getByRole('link', { name: 'carol' })).toBeInTheDocument();
    expect(within(db).getByText('Override')).toBeInTheDocument();
    expect(screen.getByText('On-call', { selector: 'h1' })).toBeInTheDocument();
  });

  it('lists the hand-offs of the next 14 days of active schedules', async () => {
    const incidentsApi = fakeApi();
    await renderWithApis(<OncallPage />, { apis: { incidentsApi } });

    expect(
      await screen.findByText('Hand-offs in the next 14 days'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    // sorted by start across schedules
    expect(within(rows[0]).getByText('SRE primary')).toBeInTheDocument();
    expect(within(rows[0]).getByText('alice')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Databases')).toBeInTheDocument();
    expect(within(rows[1]).getByText('dave')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Override')).toBeInTheDocument();
    expect(within(rows[2]).getByText('bob')).toBeInTheDocument();

    expect(incidentsApi.listScheduleSlots).toHaveBeenCalledTimes(2);
    const [id, range] = incidentsApi.listScheduleSlots.mock.calls[0];
    expect(id).toBe('sre');
    const days = DateTime.fromISO(range!.to!)
      .diff(DateTime.fromISO(range!.from!), 'days')
      .as('days');
    expect(days).toBe(14);
  });

  it('downloads a calendar through the fetch api', async () => {
    const fetch = jest.fn(
      async () => new Response('BEGIN:VCALENDAR', { status: 200 }),
    );
    const createObjectURL = jest.fn(() => 'blob:calendar');
    const revokeObjectURL = jest.fn();
    Object.assign(URL, { createObjectURL, revokeObjectURL });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    const incidentsApi = fakeApi();

    await renderWithApis(
      <TestApiProvider apis={[[fetchApiRef, { fetch }]]}>
        <OncallPage />
      </TestApiProvider>,
      { apis: { incidentsApi } },
    );

    await userEvent.click(
      await screen.findByRole('button', { name: 'Download iCal of Databases' }),
    );
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(incidentsApi.getCalendarUrl).toHaveBeenCalledWith('db');
    expect(fetch).toHaveBeenCalledWith(
      'http://localhost/api/incidents/schedules/db/calendar.ics',
    );
    expect(revokeObjectURL).toHaveBeenCalledWith('blob:calendar');

    await userEvent.click(
      screen.getByRole('button', { name: 'My shifts (iCal)' }),
    );
    await waitFor(() =>
      expect(fetch).toHaveBeenCalledWith(
        'http://localhost/api/incidents/oncall/my-shifts.ics',
      ),
    );
    click.mockRestore();
  });

  it('shows an error when loading fails', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listSchedules: jest.fn(async () => {
        throw new Error('no schedules configured');
      }),
    });
    await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
    expect(
      (await screen.findAllByText(/no schedules configured/)).length,
    ).toBeGreaterThan(0);
  });
});
