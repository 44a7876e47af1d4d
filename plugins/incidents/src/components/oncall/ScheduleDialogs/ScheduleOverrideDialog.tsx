import { useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { DateTime } from 'luxon';
import { incidentsApiRef, Schedule } from '../../../api';
import { describeError } from '../../../utils/errors';
import { formatTimestamp } from '../../../utils/format';
import { toUserRef } from '../../../utils/refs';
import {
  DialogError,
  displayUser,
  fromLocalInput,
  toLocalInput,
  UserRefField,
  userError,
} from './fields';
import { DialogButtons } from '../../shared/DialogButtons';

function initialForm() {
  const start = DateTime.now().plus({ hours: 1 }).startOf('hour');
  return {
    user: '',
    start: toLocalInput(start),
    end: toLocalInput(start.plus({ hours: 12 })),
    reason: '',
  };
}

/**
 * Asks who covers a schedule over a time range instead of the rotation and
 * posts the override. The backend's refusal (403, 400) stays in the dialog.
 */
export const ScheduleOverrideDialog = (props: {
  schedule: Schedule;
  open: boolean;
  onClose: () => void;
  /** Called after the override was added. */
  onAdded: () => void;
}) => {
  const { schedule, open, onClose, onAdded } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [form, setForm] = useState(initialForm);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setForm(initialForm());
      setSubmitted(false);
      setError(undefined);
    }
  }, [open]);

  const start = fromLocalInput(form.start);
  const end = fromLocalInput(form.end);
  const errors = {
    user: userError(form.user),
    start: start ? undefined : 'Required',
    end: (() => {
      if (!end) return 'Required';
      if (start && end <= start) return 'Must be after the start';
      return undefined;
    })(),
  };
  const valid = !errors.user && !errors.start && !errors.end;

  const submit = async () => {
    setSubmitted(true);
    if (!valid) {
      return;
    }
    const userRef = toUserRef(form.user)!;
    setBusy(true);
    setError(undefined);
    try {
      const reason = form.reason.trim();
      await api.addScheduleOverride(schedule.id, {
        userRef,
        start: start!,
        end: end!,
        ...(reason ? { reason } : {}),
      });
      alertApi.post({
        message: `${displayUser(userRef)} covers ${
          schedule.name
        } from ${formatTimestamp(start)} to ${formatTimestamp(end)}`,
        severity: 'success',
        display: 'transient',
      });
      onAdded();
      onClose();
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  const show = (field: keyof typeof errors) =>
    submitted ? errors[field] : undefined;

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="oncall-override-title"
    >
      <DialogTitle id="oncall-override-title">
        Override {schedule.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Someone else covers the schedule for a while; the rotation resumes
          afterwards. Times are in your time zone.
        </DialogContentText>
        <UserRefField
          id="oncall-override-user"
          value={form.user}
          onChange={user => setForm(f => ({ ...f, user }))}
          members={schedule.members}
          error={show('user')}
        />
        <TextField
          id="oncall-override-start"
          label="Start"
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
          id="oncall-override-end"
          label="End"
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
          id="oncall-override-reason"
          label="Reason (optional)"
          value={form.reason}
          onChange={e => setForm(f => ({ ...f, reason: e.target.value }))}
          fullWidth
          margin="normal"
          inputProps={{ maxLength: 500 }}
        />
        {error && (
          <DialogError title="Could not add the override">{error}</DialogError>
        )}
      </DialogContent>
      <DialogButtons
        confirmLabel="Add override"
        onConfirm={submit}
        onCancel={onClose}
        busy={busy}
      />
    </Dialog>
  );
};
