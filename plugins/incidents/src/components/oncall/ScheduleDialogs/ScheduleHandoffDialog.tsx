import { useEffect, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { incidentsApiRef, Schedule } from '../../../api';
import { describeError } from '../../../utils/errors';
import { toUserRef } from '../../../utils/refs';
import {
  DialogError,
  displayUser,
  fromLocalInput,
  UserRefField,
  userError,
} from './fields';
import { DialogButtons } from '../../shared/DialogButtons';

/**
 * Hands a schedule to someone now, or at a chosen time, until the
 * rotation's next hand-off. The backend's refusal stays in the dialog.
 */
export const ScheduleHandoffDialog = (props: {
  schedule: Schedule;
  /** Who is on call now, to say who hands off. */
  current?: string;
  open: boolean;
  onClose: () => void;
  /** Called after the hand-off was recorded. */
  onHandedOff: () => void;
}) => {
  const { schedule, current, open, onClose, onHandedOff } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const [user, setUser] = useState('');
  const [at, setAt] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (open) {
      setUser('');
      setAt('');
      setSubmitted(false);
      setError(undefined);
    }
  }, [open]);

  const errors = { user: userError(user) };

  const submit = async () => {
    setSubmitted(true);
    if (errors.user) {
      return;
    }
    const userRef = toUserRef(user)!;
    const atIso = fromLocalInput(at);
    setBusy(true);
    setError(undefined);
    try {
      await api.handoffSchedule(schedule.id, {
        userRef,
        ...(atIso ? { at: atIso } : {}),
      });
      alertApi.post({
        message: `${schedule.name} handed off to ${displayUser(userRef)}`,
        severity: 'success',
        display: 'transient',
      });
      onHandedOff();
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
      aria-labelledby="oncall-handoff-title"
    >
      <DialogTitle id="oncall-handoff-title">
        Hand off {schedule.name}
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          {current ? `${displayUser(current)} hands` : 'Hand'} the schedule to
          someone else until the rotation's next hand-off.
        </DialogContentText>
        <UserRefField
          id="oncall-handoff-user"
          label="Hand off to"
          value={user}
          onChange={setUser}
          members={schedule.members.filter(m => m !== current)}
          error={submitted ? errors.user : undefined}
        />
        <TextField
          id="oncall-handoff-at"
          label="At (optional)"
          type="datetime-local"
          value={at}
          onChange={e => setAt(e.target.value)}
          fullWidth
          margin="normal"
          InputLabelProps={{ shrink: true }}
          helperText="Leave empty to hand off now; in your time zone"
        />
        {error && <DialogError title="Could not hand off">{error}</DialogError>}
      </DialogContent>
      <DialogButtons
        confirmLabel="Hand off"
        onConfirm={submit}
        onCancel={onClose}
        busy={busy}
      />
    </Dialog>
  );
};
