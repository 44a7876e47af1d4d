import { screen, waitFor, within } from '@testing-library/react';
import { DateTime } from 'luxon';
import {
  createFakeIncidentsApi,
  makeEscalation,
  makePolicy,
  makeSchedule,
  renderWithApis,
} from '../../../__testUtils__';
import { formatTimestamp } from '../../../utils/format';
import { PagingCard } from './PagingCard';

const time = (iso: string) =>
  DateTime.fromISO(iso).toLocaleString(DateTime.TIME_WITH_SECONDS);

const t0 = '2026-11-22T05:00:00.000Z';
const t1 = '2026-11-22T05:00:01.000Z';
const t2 = '2026-11-22T05:00:11.000Z';

describe('PagingCard', () => {
  it('lists the steps with their timers, the pages and their deliveries', async () => {
    const due = DateTime.now().plus({ minutes: 3, seconds: 30 }).toISO()!;
    const incidentsApi = createFakeIncidentsApi({
      listSchedules: jest.fn(async () => ({
        items: [
          makeSchedule({ id: 'payments-primary', name: 'Payments primary' }),
        ],
      })),
    });
    await renderWithApis(
      <PagingCard
        escalations={[
          makeEscalation({
            policy: makePolicy({ repeat: 1 }),
            timers: [
              { round: 0, step: 1, dueAt: t0, status: 'fired', firedAt: t0 },
              { round: 0, step: 2, dueAt: due, status: 'pending' },
            ],
            pages: [
              {
                id: 'p1',
                incidentId: 'id-1',
                recipient: 'user:default/guest',
                round: 0,
                step: 1,
                via: 'schedule:payments-primary',
                dueAt: t0,
                createdAt: t0,
                deliveries: [
                  {
                    pagerId: 'notifications',
                    status: 'sent',
                    sentAt: t1,
                    attempts: [
                      { attempt: 1, at: t1, ok: true, durationMs: 12 },
                    ],
                  },
                  {
                    pagerId: 'webhook:chatops',
                    status: 'pending',
                    nextAttemptAt: DateTime.now()
                      .plus({ seconds: 25 })
                      .toISO()!,
                    lastError: 'HTTP 502',
                    attempts: [
                      { attempt: 1, at: t1, ok: false, error: 'HTTP 500' },
                      { attempt: 2, at: t2, ok: false, error: 'HTTP 502' },
                    ],
                  },
                ],
              },
              {
                id: 'p2',
                incidentId: 'id-1',
                recipient: 'user:default/bob',
                round: 0,
                step: 2,
                via: 'group:default/sre',
                dueAt: t2,
                createdAt: t2,
                deliveries: [],
              },
            ],
          }),
        ]}
      />,
      { apis: { incidentsApi } },
    );

    const escalation = screen.getByRole('region', {
      name: 'Escalation Payments escalation',
    });
    expect(within(escalation).getByText('active')).toBeInTheDocument();

    const steps = within(escalation)
      .getByRole('list', { name: 'Steps of Payments escalation' })
      .querySelectorAll(':scope > li');
    await waitFor(() =>
      expect(steps[0]).toHaveTextContent(
        `on call for Payments primaryRound 1: fired ${formatTimestamp(t0)}`,
      ),
    );
    expect(steps[1]).toHaveTextContent(/carol, members of sre/);
    expect(steps[1]).toHaveTextContent(/Round 1: due in 3 minutes/);

    const table = within(escalation).getByRole('table', {
      name: 'Pages of Payments escalation',
    });
    const [, row, groupRow] = within(table).getAllByRole('row');
    expect(groupRow).toHaveTextContent(
      `bobStep 2 (round 1), ${formatTimestamp(t2)}, member of sre`,
    );
    expect(groupRow).toHaveTextContent('No pager accepted it');
    expect(within(row).getByRole('link', { name: 'guest' })).toHaveAttribute(
      'href',
      '/catalog/default/user/guest',
    );
    expect(row).toHaveTextContent(
      `Step 1 (round 1), ${formatTimestamp(t0)}, on call for Payments primary`,
    );

    const sent = within(row).getByRole('region', {
      name: 'Delivery by notifications',
    });
    expect(sent).toHaveTextContent(`sent ${time(t1)}`);
    expect(
      within(sent).getByRole('list', { name: 'Attempts of notifications' }),
    ).toHaveTextContent(`#1 ${time(t1)} ok (12 ms)`);

    const webhook = within(row).getByRole('region', {
      name: 'Delivery by webhook:chatops',
    });
    const attempts = within(webhook).getAllByRole('listitem');
    expect(attempts.map(a => a.textContent)).toEqual([
      `#1 ${time(t1)} error: HTTP 500`,
      `#2 ${time(t2)} error: HTTP 502`,
    ]);
    expect(webhook).toHaveTextContent(/Next attempt in 2\d seconds/);
  });

  it('says why an escalation stopped and by whom', async () => {
    await renderWithApis(
      <PagingCard
        escalations={[
          makeEscalation({
            status: 'stopped',
            stoppedAt: DateTime.now().minus({ minutes: 2 }).toISO()!,
            stoppedBy: 'user:default/alice',
            stopReason: 'acknowledged',
            timers: [
              { round: 0, step: 1, dueAt: t0, status: 'fired', firedAt: t0 },
              { round: 0, step: 2, dueAt: t2, status: 'cancelled' },
            ],
          }),
          makeEscalation({
            id: 'esc-2',
            policy: makePolicy({ id: 'search', name: 'Search escalation' }),
            status: 'exhausted',
            stoppedAt: t2,
            stopReason: 'every step paged; nobody acknowledged',
          }),
        ]}
      />,
    );
    const stopped = screen.getByRole('region', {
      name: 'Escalation Payments escalation',
    });
    expect(stopped).toHaveTextContent(
      /stopped 2 minutes ago by alice: acknowledged/,
    );
    expect(stopped).toHaveTextContent(
      `cancelled (was due ${formatTimestamp(t2)})`,
    );
    expect(stopped).toHaveTextContent('Nobody paged yet.');

    const exhausted = screen.getByRole('region', {
      name: 'Escalation Search escalation',
    });
    expect(within(exhausted).getByText('exhausted')).toBeInTheDocument();
    expect(exhausted).toHaveTextContent(
      ': every step paged; nobody acknowledged',
    );
    expect(exhausted).toHaveTextContent('not reached');
  });

  it('says when nobody was paged, and shows errors', async () => {
    const { unmount } = await renderWithApis(<PagingCard escalations={[]} />);
    expect(
      screen.getByText('Nobody has been paged for this incident.'),
    ).toBeInTheDocument();
    unmount();

    await renderWithApis(<PagingCard error={new Error('backend down')} />);
    expect(screen.getAllByText(/backend down/).length).toBeGreaterThan(0);
  });

  it('lists chat posts with their delivery attempts', async () => {
    await renderWithApis(
      <PagingCard
        escalations={[]}
        chatPosts={[
          {
            channelId: 'chat:incidents',
            event: 'opened',
            createdAt: t0,
            delivery: {
              pagerId: 'chat:incidents',
              status: 'sent',
              sentAt: t2,
              attempts: [
                {
                  attempt: 1,
                  at: t1,
                  ok: false,
                  error: 'chat webhook answered 500',
                },
                { attempt: 2, at: t2, ok: true },
              ],
            },
          },
        ]}
      />,
    );
    const posts = screen.getByRole('region', { name: 'Chat posts' });
    expect(posts).toHaveTextContent('opened');
    const delivery = within(posts).getByRole('region', {
      name: 'Delivery by chat:incidents',
    });
    expect(delivery).toHaveTextContent('chat webhook answered 500');
    expect(delivery).toHaveTextContent('#2');
  });
});
