import { useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import { incidentsApiRef, OncallSlot, Schedule } from '../../../api';
import { describeError } from '../../../utils/errors';
import { formatTimestamp } from '../../../utils/format';
import { DialogButtons } from '../../shared/DialogButtons';
import { DialogError, fromLocalInput, toLocalInput } from './fields';

function initialForm(slot: OncallSlot) {
  const now = DateTime.now().plus({ minutes: 1 }).startOf('minute');
  const start = DateTime.fromISO(slot.start);
  return {
    target: '',
    start: toLocalInput(start < now ? now : start),
    end: toLocalInput(DateTime.fromISO(slot.end)),
    reason: '',
  };
}

/**
 * Offers a shift of the signed-in user's (or part of it) to another member
 * of the schedule, who then accepts or declines.
 */
export const ScheduleSwapDialog = (props: {
  schedule: Schedule;
  slot: OncallSlot;
  me: string;
  nameOf: (ref: string) => string;
  open: boolean;
  onClose: () => void;
  onProposed: () => void;
}) => {
  const { schedule, slot, me, nameOf, open, onClose, onProposed } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [form, setForm] = useState(() => initialForm(slot));
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setForm(initialForm(slot));
      setSubmitted(false);
      setError(undefined);
    }
  }, [open, slot]);

  const others = schedule.members.filter(m => m !== me);
  const start = fromLocalInput(form.start);
  const end = fromLocalInput(form.end);
  const errors = {
    target: form.target ? undefined : 'Required',
    start: start ? undefined : 'Required',
    end: (() => {
      if (!end) return 'Required';
      if (start && end <= start) return 'Must be after the start';
      return undefined;
    })(),
  };
  const valid = !errors.target && !errors.start && !errors.end;
  const show = (field: keyof typeof errors) =>
    submitted ? errors[field] : undefined;

  const submit = async () => {
    setSubmitted(true);
    if (!valid) return;
    setBusy(true);
    setError(undefined);
    try {
      const reason = form.reason.trim();
      await api.proposeScheduleSwap(schedule.id, {
        targetRef: form.target,
        start: start!,
        end: end!,
        ...(reason ? { reason } : {}),
      });
      alertApi.post({
        message: `Asked ${nameOf(form.target)} to take ${
          schedule.name
        } from ${formatTimestamp(start)} to ${formatTimestamp(end)}`,
        severity: 'success',
        display: 'transient',
      });
      onProposed();
      onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="oncall-swap-title"
    >
      <DialogTitle id="oncall-swap-title">
        Offer your shift on {schedule.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Ask another member to take this shift, or part of it. It changes hands
          when they accept. Times are in your time zone.
        </DialogContentText>
        <TextField
          id="oncall-swap-target"
          select
          label="Offer to"
          value={form.target}
          onChange={e => setForm(f => ({ ...f, target: e.target.value }))}
          required
          fullWidth
          margin="normal"
          error={Boolean(show('target'))}
          helperText={show('target')}
        >
          {others.map(member => (
            <MenuItem key={member} value={member}>
              {nameOf(member)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="oncall-swap-start"
          label="From"
          type="datetime-local"
          value={form.start}
          onChange={e => setForm(f => ({ ...f, start: e.target.value }))}
          required
          fullWidth
          margin="normal"
          InputLabelProps={{ shrink: true }}
          error={Boolean(show('start'))}
          helperText={show('start')}
        />
        <TextField
          id="oncall-swap-end"
          label="To"
          type="datetime-local"
          value={form.end}
          onChange={e => setForm(f => ({ ...f, end: e.target.value }))}
          required
          fullWidth
          margin="normal"
          InputLabelProps={{ shrink: true }}
          error={Boolean(show('end'))}
          helperText={show('end')}
        />
        <TextField
          id="oncall-swap-reason"
          label="Reason (optional)"
          value={form.reason}
          onChange={e => setForm(f => ({ ...f, reason: e.target.value }))}
          fullWidth
          margin="normal"
          inputProps={{ maxLength: 500 }}
        />
        {error && (
          <DialogError title="Could not send the request">{error}</DialogError>
        )}
      </DialogContent>
      <DialogButtons
        confirmLabel="Send request"
        onConfirm={submit}
        onCancel={onClose}
        busy={busy}
      />
    </Dialog>
  );
};
