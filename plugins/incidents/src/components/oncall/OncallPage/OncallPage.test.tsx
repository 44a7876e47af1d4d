import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fetchApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider } from '@backstage/test-utils';
import { DateTime } from 'luxon';
import {
  createFakeIncidentsApi,
  fakePermissionApi,
  makePolicy,
  makeSchedule,
  makeSlot,
  renderWithApis,
} from '../../../__testUtils__';
import { personColors } from '../../../utils/oncall';
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

  it('shows the next few hand-offs per schedule, the rest on request', async () => {
    const day = (n: number) =>
      DateTime.now()
        .startOf('day')
        .plus({ days: n, hours: 9 })
        .toUTC()
        .toISO()!;
    const people = ['alice', 'bob', 'carol'];
    const incidentsApi = createFakeIncidentsApi({
      listSchedules: jest.fn(async () => ({ items: [makeSchedule()] })),
      listScheduleSlots: jest.fn(async () => ({
        items: Array.from({ length: 10 }, (_, i) =>
          makeSlot({
            id: `s${i}`,
            userRef: `user:default/${people[i % 3]}`,
            start: day(i),
            end: day(i + 1),
          }),
        ),
      })),
    });
    await renderWithApis(<OncallPage />, { apis: { incidentsApi } });

    const list = await screen.findByRole('list', {
      name: 'Next hand-offs of SRE primary',
    });
    const items = () => within(list).getAllByRole('listitem');
    // Day 0's 09:00 hand-off may already be past: 9 or 8 are upcoming.
    expect(items()).toHaveLength(3);
    expect(items()[items().length - 1]).toHaveTextContent(/→/);
    const more = screen.getByRole('button', { name: /^Show \d more$/ });
    const hidden = Number(/\d/.exec(more.textContent!)![0]);
    expect([5, 6]).toContain(hidden);
    await userEvent.click(more);
    expect(items()).toHaveLength(3 + hidden);
    expect(screen.getByRole('button', { name: 'Show fewer' })).toHaveAttribute(
      'aria-expanded',
      'true',
    );
    // The range starts today, so the timeline shows the now line.
    expect(screen.getByTestId('now-line')).toBeInTheDocument();
    const [, range] = incidentsApi.listScheduleSlots.mock.calls[0];
    expect(
      DateTime.fromISO(range!.to!).diff(DateTime.fromISO(range!.from!), 'days')
        .days,
    ).toBe(14);
    expect(DateTime.fromISO(range!.from!).toMillis()).toBe(
      DateTime.now().startOf('day').toMillis(),
    );
  });

  it("tells the signed-in user when they're on call next", async () => {
    const day = (n: number) =>
      DateTime.now()
        .startOf('day')
        .plus({ days: n, hours: 9 })
        .toUTC()
        .toISO()!;
    const incidentsApi = createFakeIncidentsApi({
      listSchedules: jest.fn(async () => ({
        items: [makeSchedule(), makeSchedule({ id: 'db', name: 'Databases' })],
      })),
      listScheduleSlots: jest.fn(async (scheduleId: string) => ({
        items:
          scheduleId === 'sre'
            ? [
                makeSlot({
                  userRef: 'user:default/guest',
                  start: day(3),
                  end: day(4),
                }),
                makeSlot({
                  id: 'x',
                  userRef: 'user:default/guest',
                  start: day(4),
                  end: day(5),
                }),
              ]
            : [
                makeSlot({
                  id: 'y',
                  scheduleId: 'db',
                  userRef: 'user:default/guest',
                  start: day(6),
                  end: day(7),
                }),
              ],
      })),
    });
    await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
    const next = await screen.findByRole('region', { name: 'Your next shift' });
    await waitFor(() =>
      expect(next).toHaveTextContent(
        /^You're on call next: SRE primary from .+ to .+$/,
      ),
    );
    // Two back-to-back days are one shift.
    expect(next).toHaveTextContent(
      new RegExp(DateTime.fromISO(day(5)).toFormat('LLL d')),
    );
  });

  describe('swap requests', () => {
    const day = (n: number) =>
      DateTime.now()
        .startOf('day')
        .plus({ days: n, hours: 9 })
        .toUTC()
        .toISO()!;
    function swapApi() {
      return createFakeIncidentsApi({
        listSchedules: jest.fn(async () => ({
          items: [
            makeSchedule({
              members: ['user:default/guest', 'user:default/carol'],
            }),
          ],
        })),
        listScheduleSlots: jest.fn(async () => ({
          items: [
            makeSlot({
              id: 'g',
              userRef: 'user:default/guest',
              start: day(2),
              end: day(3),
            }),
            makeSlot({
              id: 'c',
              userRef: 'user:default/carol',
              start: day(3),
              end: day(4),
            }),
          ],
        })),
        listMySwaps: jest.fn(async () => ({
          items: [
            {
              id: 'sw1',
              scheduleId: 'sre',
              requester: 'user:default/carol',
              target: 'user:default/guest',
              start: day(3),
              end: day(4),
              reason: 'dentist',
              status: 'pending' as const,
              createdAt: day(0),
            },
            {
              id: 'sw2',
              scheduleId: 'sre',
              requester: 'user:default/guest',
              target: 'user:default/carol',
              start: day(5),
              end: day(6),
              status: 'pending' as const,
              createdAt: day(0),
            },
          ],
        })),
      });
    }

    it('offers my shift to another member from its details', async () => {
      const incidentsApi = swapApi();
      await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
      const track = await screen.findByRole('list', {
        name: 'Slots of SRE primary',
      });
      // Someone else's shift offers nothing.
      await userEvent.click(within(track).getAllByRole('button')[1]);
      expect(
        within(
          screen.getByRole('dialog', { name: 'Shift details' }),
        ).queryByRole('button', { name: 'Offer this shift' }),
      ).toBeNull();
      await userEvent.keyboard('{Escape}');
      await waitFor(() =>
        expect(
          screen.queryByRole('dialog', { name: 'Shift details' }),
        ).toBeNull(),
      );

      await userEvent.click(within(track).getAllByRole('button')[0]);
      await userEvent.click(
        screen.getByRole('button', { name: 'Offer this shift' }),
      );
      const dialog = screen.getByRole('dialog', {
        name: 'Offer your shift on SRE primary',
      });
      await userEvent.click(
        within(dialog).getByRole('button', { name: /Offer to/ }),
      );
      await userEvent.click(
        screen.getByRole('option', { name: 'Carol Nguyen' }),
      );
      await userEvent.type(
        within(dialog).getByRole('textbox', { name: 'Reason (optional)' }),
        'holiday',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Send request' }),
      );
      await waitFor(() =>
        expect(incidentsApi.proposeScheduleSwap).toHaveBeenCalledWith('sre', {
          targetRef: 'user:default/carol',
          start: DateTime.fromISO(day(2)).toUTC().toISO(),
          end: DateTime.fromISO(day(3)).toUTC().toISO(),
          reason: 'holiday',
        }),
      );
    });

    it('lists requests for me with accept and decline, and mine with cancel', async () => {
      const incidentsApi = swapApi();
      await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
      const list = await screen.findByRole('list', { name: 'Swap requests' });
      const [forMe, byMe] = within(list).getAllByRole('listitem');
      expect(forMe).toHaveTextContent(
        /^carol asks you to take SRE primary from .+ \(dentist\)\./,
      );
      expect(byMe).toHaveTextContent(
        /^You offered SRE primary from .+ to carol/,
      );
      expect(
        within(byMe).queryByRole('button', { name: /^Accept/ }),
      ).toBeNull();
      await userEvent.click(
        within(forMe).getByRole('button', { name: /^Accept SRE primary/ }),
      );
      await waitFor(() =>
        expect(incidentsApi.decideScheduleSwap).toHaveBeenCalledWith(
          'sre',
          'sw1',
          'accept',
        ),
      );
      await waitFor(() =>
        expect(incidentsApi.listMySwaps).toHaveBeenCalledTimes(2),
      );
      await userEvent.click(
        within(
          screen
            .getAllByRole('listitem')
            .find(li => li.textContent?.startsWith('You offered'))!,
        ).getByRole('button', { name: /^Cancel request/ }),
      );
      expect(incidentsApi.decideScheduleSwap).toHaveBeenLastCalledWith(
        'sre',
        'sw2',
        'cancel',
      );
    });

    it("shows a schedule's history", async () => {
      const incidentsApi = swapApi();
      incidentsApi.getScheduleTimeline.mockResolvedValue({
        items: [
          {
            id: 'e1',
            scheduleId: 'sre',
            at: day(0),
            actor: 'user:default/carol',
            type: 'swap.accepted',
            message: 'carol accepted the swap',
          },
        ],
      });
      await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
      await userEvent.click(
        await screen.findByRole('button', { name: 'History of SRE primary' }),
      );
      const history = await screen.findByRole('list', {
        name: 'History of SRE primary',
      });
      expect(history).toHaveTextContent('carol accepted the swap');
      expect(incidentsApi.getScheduleTimeline).toHaveBeenCalledWith('sre');
    });
  });

  it('copies a webcal subscription link for each calendar', async () => {
    const user = userEvent;
    const writeText = jest.fn(async (_text: string) => {});
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    const incidentsApi = fakeApi();
    await renderWithApis(<OncallPage />, { apis: { incidentsApi } });
    await user.click(
      await screen.findByRole('button', {
        name: 'Subscribe to Databases',
      }),
    );
    expect(incidentsApi.getCalendarSubscription).toHaveBeenCalledWith('db');
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        'webcal://localhost/api/incidents/oncall/feeds/token-db',
      ),
    );
    expect(
      screen.getByRole('textbox', { name: 'Subscription link of Databases' }),
    ).toHaveValue('webcal://localhost/api/incidents/oncall/feeds/token-db');
    await user.click(
      screen.getByRole('button', { name: 'Subscribe to My shifts' }),
    );
    expect(incidentsApi.getCalendarSubscription).toHaveBeenCalledWith(
      undefined,
    );
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

  describe('calendar, schedule changes and escalation', () => {
    const at = (hours: number) =>
      DateTime.now().plus({ hours }).toUTC().toISO()!;

    function calendarApi() {
      return createFakeIncidentsApi({
        listSchedules: jest.fn(async () => ({ items: [makeSchedule()] })),
        listScheduleSlots: jest.fn(async () => ({
          items: [
            makeSlot({
              id: 'a',
              userRef: 'user:default/alice',
              start: at(-48),
              end: at(24),
            }),
            makeSlot({
              id: 'o',
              userRef: 'user:default/dave',
              start: at(24),
              end: at(36),
              isOverride: true,
              reason: 'swap',
            }),
            makeSlot({
              id: 'b',
              userRef: 'user:default/bob',
              start: at(36),
              end: at(400),
            }),
          ],
        })),
        listEscalationPolicies: jest.fn(async () => ({
          items: [makePolicy({ repeat: 1 })],
          pagingSeverities: ['sev1' as const, 'sev2' as const],
        })),
      });
    }

    it("shows each schedule's slots on a timeline, overrides marked", async () => {
      await renderWithApis(<OncallPage />, {
        apis: { incidentsApi: calendarApi() },
      });
      const track = await screen.findByRole('list', {
        name: 'Slots of SRE primary',
      });
      const slots = within(track).getAllByRole('listitem');
      const buttons = within(track).getAllByRole('button');
      // Display names from the catalog (alice has one), else the ref's name.
      await waitFor(() =>
        expect(buttons.map(s => s.textContent)).toEqual([
          'Alice Okafor',
          'dave',
          'bob',
        ]),
      );
      expect(buttons[1]).toHaveAccessibleName(/^dave, .* \(override: swap\)$/);
      expect(buttons[0]).not.toHaveAccessibleName(/override/);
      expect(buttons[0]).toHaveAttribute('title', 'user:default/alice');
      // One colour per person, by ref, told apart on the page.
      const colors = personColors([
        'user:default/alice',
        'user:default/dave',
        'user:default/bob',
      ]);
      buttons.forEach((button, i) =>
        expect(button).toHaveStyle({
          backgroundColor: colors.get(
            ['user:default/alice', 'user:default/dave', 'user:default/bob'][i],
          ),
        }),
      );
      expect(new Set(colors.values()).size).toBe(3);
      expect(
        within(screen.getByRole('list', { name: 'Who is who on SRE primary' }))
          .getAllByRole('listitem')
          .map(li => li.textContent),
      ).toEqual(['Alice Okafor', 'dave', 'bob']);
      // The first slot started before the range: it is cut at its left edge.
      expect(slots[0]).toHaveStyle({ left: '0%' });
      // The last one ends after it: cut at the right edge.
      const last = slots[2].style;
      expect(parseFloat(last.left) + parseFloat(last.width)).toBeCloseTo(100);
    });

    it("opens a slot's details on click or tap", async () => {
      await renderWithApis(<OncallPage />, {
        apis: { incidentsApi: calendarApi() },
      });
      const track = await screen.findByRole('list', {
        name: 'Slots of SRE primary',
      });
      await userEvent.click(within(track).getAllByRole('button')[1]);
      const details = screen.getByRole('dialog', { name: 'Shift details' });
      expect(
        within(details).getByRole('link', { name: 'dave' }),
      ).toHaveAttribute('href', '/catalog/default/user/dave');
      expect(details).toHaveTextContent('user:default/dave');
      expect(details).toHaveTextContent('Override: swap');
    });

    it('hides the schedule changes from users who may not manage rotas', async () => {
      await renderWithApis(<OncallPage />, {
        apis: {
          incidentsApi: calendarApi(),
          permissionApi: fakePermissionApi([]),
        },
      });
      await screen.findByRole('list', { name: 'Slots of SRE primary' });
      expect(
        screen.queryByRole('button', { name: 'Add override to SRE primary' }),
      ).toBeNull();
      expect(
        screen.queryByRole('button', { name: 'Hand off SRE primary' }),
      ).toBeNull();
    });

    it('lets rota managers add an override and reloads the schedule', async () => {
      const incidentsApi = calendarApi();
      const { apis } = await renderWithApis(<OncallPage />, {
        apis: {
          incidentsApi,
          permissionApi: fakePermissionApi(['incidents.schedule.manage']),
        },
      });
      await userEvent.click(
        await screen.findByRole('button', {
          name: 'Add override to SRE primary',
        }),
      );
      const dialog = screen.getByRole('dialog', {
        name: 'Override SRE primary',
      });
      await userEvent.type(
        within(dialog).getByRole('combobox', { name: /^User/ }),
        'carol',
      );
      await userEvent.click(
        within(dialog).getByRole('button', { name: 'Add override' }),
      );
      await waitFor(() =>
        expect(incidentsApi.addScheduleOverride).toHaveBeenCalledWith(
          'sre',
          expect.objectContaining({ userRef: 'user:default/carol' }),
        ),
      );
      await waitFor(() =>
        expect(incidentsApi.listSchedules).toHaveBeenCalledTimes(2),
      );
      expect(screen.queryByRole('dialog')).toBeNull();
      expect(apis.permissionApi.authorize).toHaveBeenCalledWith(
        expect.objectContaining({
          permission: expect.objectContaining({
            name: 'incidents.schedule.manage',
          }),
        }),
      );

      await userEvent.click(
        screen.getByRole('button', { name: 'Hand off SRE primary' }),
      );
      expect(
        screen.getByRole('dialog', { name: 'Hand off SRE primary' }),
      ).toBeInTheDocument();
    });

    it('lists the escalation policies with their steps', async () => {
      await renderWithApis(<OncallPage />, {
        apis: { incidentsApi: calendarApi() },
      });
      const policy = await screen.findByRole('region', {
        name: 'Escalation policy Payments escalation',
      });
      const steps = within(policy)
        .getByRole('list', { name: 'Steps of Payments escalation' })
        .querySelectorAll('li');
      expect(steps[0]).toHaveTextContent(
        'Step 1: on call for payments-primaryPages at once',
      );
      expect(steps[1]).toHaveTextContent(
        'Step 2: carol, members of sre' + 'Pages after 5m unacknowledged',
      );
      expect(steps[2]).toHaveTextContent(
        'Then starts over from step 1, once more.',
      );
      expect(
        within(policy).getByRole('link', { name: 'carol' }),
      ).toHaveAttribute('href', '/catalog/default/user/carol');
    });
  });
});
