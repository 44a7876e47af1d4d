import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { DateTime } from 'luxon';
import {
  createFakeIncidentsApi,
  makeSchedule,
  renderWithApis,
} from '../../../__testUtils__';
import { ScheduleHandoffDialog } from './ScheduleHandoffDialog';
import { ScheduleOverrideDialog } from './ScheduleOverrideDialog';

async function forbidden(message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'NotAllowedError', message },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    ) as any,
  );
}

const localInput = (iso: string) =>
  DateTime.fromISO(iso).toFormat("yyyy-MM-dd'T'HH:mm");

describe('ScheduleOverrideDialog', () => {
  it('posts the user, the range as ISO timestamps and the reason', async () => {
    const onAdded = jest.fn();
    const onClose = jest.fn();
    const { apis } = await renderWithApis(
      <ScheduleOverrideDialog
        open
        schedule={makeSchedule()}
        onClose={onClose}
        onAdded={onAdded}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Override SRE primary' });
    await userEvent.type(
      within(dialog).getByRole('combobox', { name: /^User/ }),
      'dave',
    );
    fireEvent.change(within(dialog).getByLabelText(/^Start/), {
      target: { value: localInput('2026-11-24T08:00:00.000Z') },
    });
    fireEvent.change(within(dialog).getByLabelText(/^End/), {
      target: { value: localInput('2026-11-24T20:00:00.000Z') },
    });
    await userEvent.type(
      within(dialog).getByRole('textbox', { name: 'Reason (optional)' }),
      'swap with alice',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add override' }),
    );

    await waitFor(() => expect(onAdded).toHaveBeenCalled());
    expect(apis.incidentsApi.addScheduleOverride).toHaveBeenCalledWith('sre', {
      userRef: 'user:default/dave',
      start: '2026-11-24T08:00:00.000Z',
      end: '2026-11-24T20:00:00.000Z',
      reason: 'swap with alice',
    });
    expect(onClose).toHaveBeenCalled();
    expect(apis.alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ severity: 'success' }),
    );
  });

  it('does not post an empty user or an end before the start', async () => {
    const { apis } = await renderWithApis(
      <ScheduleOverrideDialog
        open
        schedule={makeSchedule()}
        onClose={jest.fn()}
        onAdded={jest.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/^End/), {
      target: { value: '2000-01-01T00:00' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add override' }),
    );
    expect(within(dialog).getByText('Required')).toBeInTheDocument();
    expect(
      within(dialog).getByText('Must be after the start'),
    ).toBeInTheDocument();
    expect(apis.incidentsApi.addScheduleOverride).not.toHaveBeenCalled();
  });

  it("keeps the dialog open with the backend's refusal", async () => {
    const incidentsApi = createFakeIncidentsApi({
      addScheduleOverride: jest.fn(async () => {
        throw await forbidden('Only rota managers may change schedules');
      }),
    });
    const onAdded = jest.fn();
    const onClose = jest.fn();
    await renderWithApis(
      <ScheduleOverrideDialog
        open
        schedule={makeSchedule()}
        onClose={onClose}
        onAdded={onAdded}
      />,
      { apis: { incidentsApi } },
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('combobox', { name: /^User/ }),
      'user:default/dave',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Add override' }),
    );

    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('Could not add the override');
    expect(alert).toHaveTextContent(
      'Not allowed: Only rota managers may change schedules',
    );
    expect(onAdded).not.toHaveBeenCalled();
    expect(onClose).not.toHaveBeenCalled();
  });
});

describe('ScheduleHandoffDialog', () => {
  it('hands off now with just the user', async () => {
    const onHandedOff = jest.fn();
    const { apis } = await renderWithApis(
      <ScheduleHandoffDialog
        open
        schedule={makeSchedule()}
        current="user:default/alice"
        onClose={jest.fn()}
        onHandedOff={onHandedOff}
      />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Hand off SRE primary' });
    expect(dialog).toHaveTextContent('alice hands the schedule');
    await userEvent.type(
      within(dialog).getByRole('combobox', { name: /^Hand off to/ }),
      'bob',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Hand off' }),
    );
    await waitFor(() => expect(onHandedOff).toHaveBeenCalled());
    expect(apis.incidentsApi.handoffSchedule).toHaveBeenCalledWith('sre', {
      userRef: 'user:default/bob',
    });
  });

  it('hands off at a chosen time', async () => {
    const { apis } = await renderWithApis(
      <ScheduleHandoffDialog
        open
        schedule={makeSchedule()}
        onClose={jest.fn()}
        onHandedOff={jest.fn()}
      />,
    );
    const dialog = screen.getByRole('dialog');
    await userEvent.type(
      within(dialog).getByRole('combobox', { name: /^Hand off to/ }),
      'user:default/bob',
    );
    fireEvent.change(within(dialog).getByLabelText(/^At/), {
      target: { value: localInput('2026-11-25T14:30:00.000Z') },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Hand off' }),
    );
    await waitFor(() =>
      expect(apis.incidentsApi.handoffSchedule).toHaveBeenCalledWith('sre', {
        userRef: 'user:default/bob',
        at: '2026-11-25T14:30:00.000Z',
      }),
    );
  });

  it('refuses a group and shows the backend error', async () => {
    const incidentsApi = createFakeIncidentsApi({
      handoffSchedule: jest.fn(async () => {
        throw await forbidden('Not a rota manager');
      }),
    });
    const onHandedOff = jest.fn();
    await renderWithApis(
      <ScheduleHandoffDialog
        open
        schedule={makeSchedule()}
        onClose={jest.fn()}
        onHandedOff={onHandedOff}
      />,
      { apis: { incidentsApi } },
    );
    const dialog = screen.getByRole('dialog');
    const input = within(dialog).getByRole('combobox', {
      name: /^Hand off to/,
    });
    await userEvent.type(input, 'group:default/sre');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Hand off' }),
    );
    expect(
      within(dialog).getByText(/Not a user reference/),
    ).toBeInTheDocument();
    expect(incidentsApi.handoffSchedule).not.toHaveBeenCalled();

    await userEvent.clear(input);
    await userEvent.type(input, 'bob');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Hand off' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Not allowed: Not a rota manager',
    );
    expect(onHandedOff).not.toHaveBeenCalled();
  });
});
