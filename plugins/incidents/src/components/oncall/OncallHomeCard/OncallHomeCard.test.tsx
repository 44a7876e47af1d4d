import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { MyOpenPage } from '@vigil/plugin-incidents-common';
import { DateTime } from 'luxon';
import { createFakeIncidentsApi, renderWithApis } from '../../../__testUtils__';
import { OncallHomeCardContent } from './OncallHomeCard';

function makePage(overrides: Partial<MyOpenPage['incident']> = {}): MyOpenPage {
  return {
    pageId: `page-${overrides.id ?? 'i3'}`,
    step: 1,
    createdAt: DateTime.now().minus({ minutes: 4 }).toISO()!,
    incident: {
      id: 'i3',
      ref: 'INC-3',
      title: 'Payments failing',
      severity: 'sev1',
      status: 'open',
      createdAt: DateTime.now().minus({ minutes: 5 }).toISO()!,
      ...overrides,
    },
  };
}

function conflict() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'already investigating' },
        response: { statusCode: 409 },
      }),
      {
        status: 409,
        statusText: 'Conflict',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

describe('OncallHomeCardContent', () => {
  it('lists my open pages with a link to the war room', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest.fn(async () => ({
        items: [
          makePage(),
          makePage({
            id: 'i4',
            ref: 'INC-4',
            title: 'Search slow',
            severity: 'sev2',
          }),
        ],
      })),
    });
    await renderWithApis(<OncallHomeCardContent />, { apis: { incidentsApi } });

    const pages = await screen.findByRole('region', { name: 'My open pages' });
    expect(
      await within(pages).findByRole('link', {
        name: 'INC-3: Payments failing',
      }),
    ).toHaveAttribute('href', '/incidents/INC-3');
    expect(within(pages).getByText('SEV2')).toBeInTheDocument();
    expect(
      within(pages).getAllByText(/Paged 4 minutes ago \(step 1\)/),
    ).toHaveLength(2);
    expect(
      within(pages).getByRole('button', { name: 'Acknowledge INC-4' }),
    ).toBeInTheDocument();
  });

  it('acknowledges a page and reloads the list', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest
        .fn()
        .mockResolvedValueOnce({ items: [makePage()] })
        .mockResolvedValue({ items: [] }),
    });
    await renderWithApis(<OncallHomeCardContent />, { apis: { incidentsApi } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge INC-3' }),
    );
    expect(incidentsApi.moveIncident).toHaveBeenCalledWith(
      'i3',
      'investigating',
      undefined,
      'home-widget',
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      'You acknowledged INC-3.',
    );
    expect(
      await screen.findByText('Nothing is paging you.'),
    ).toBeInTheDocument();
    expect(incidentsApi.listMyOpenPages).toHaveBeenCalledTimes(2);
  });

  it('says so when someone else acknowledged first, and reloads', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest
        .fn()
        .mockResolvedValueOnce({ items: [makePage()] })
        .mockResolvedValue({ items: [] }),
      moveIncident: jest.fn(async () => {
        throw await conflict();
      }),
    });
    await renderWithApis(<OncallHomeCardContent />, { apis: { incidentsApi } });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge INC-3' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Someone else acknowledged INC-3 first.',
    );
    await waitFor(() =>
      expect(incidentsApi.listMyOpenPages).toHaveBeenCalledTimes(2),
    );
    expect(
      await screen.findByText('Nothing is paging you.'),
    ).toBeInTheDocument();
  });

  it('shows other failures with the reason', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest.fn(async () => ({ items: [makePage()] })),
      moveIncident: jest.fn(async () => {
        throw new Error('backend down');
      }),
    });
    await renderWithApis(<OncallHomeCardContent />, { apis: { incidentsApi } });
    await userEvent.click(
      await screen.findByRole('button', { name: 'Acknowledge INC-3' }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not acknowledge INC-3: backend down',
    );
  });

  it('reloads my pages when an incident signal arrives', async () => {
    const incidentsApi = createFakeIncidentsApi({
      listMyOpenPages: jest
        .fn()
        .mockResolvedValueOnce({ items: [] })
        .mockResolvedValue({ items: [makePage()] }),
    });
    const { apis } = await renderWithApis(<OncallHomeCardContent />, {
      apis: { incidentsApi },
    });
    await screen.findByText('Nothing is paging you.');

    act(() =>
      apis.signalApi.publish('incidents', {
        type: 'incident.paged',
        incidentId: 'i3',
        ref: 'INC-3',
        title: 'Payments failing',
        status: 'open',
        severity: 'sev1',
        actor: 'system:escalation',
      } as any),
    );
    expect(
      await screen.findByRole('button', { name: 'Acknowledge INC-3' }),
    ).toBeInTheDocument();
  });

  it("lists who is on call with the user's own schedules first", async () => {
    const end = DateTime.now().plus({ hours: 2, minutes: 30 }).toISO()!;
    const incidentsApi = createFakeIncidentsApi({
      getOncallNow: jest.fn(async () => ({
        items: [
          {
            schedule: { id: 'sre', name: 'SRE primary' },
            user: 'user:default/alice',
            end,
          },
          { schedule: { id: 'db', name: 'Databases' } },
          {
            schedule: { id: 'payments', name: 'Payments primary' },
            user: 'user:default/guest',
            end,
          },
        ],
      })),
    });
    await renderWithApis(<OncallHomeCardContent />, { apis: { incidentsApi } });

    const oncall = await screen.findByRole('region', { name: 'On call now' });
    const rows = await within(oncall).findAllByRole('listitem');
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^Payments primary: guestYouUntil in 2 hours/),
      expect.stringMatching(/^SRE primary: aliceUntil in 2 hours/),
      'Databases: nobody',
    ]);
  });
});
