import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormLabel from '@material-ui/core/FormLabel';
import TextField from '@material-ui/core/TextField';
import { StatusPageOverview } from '@vigil/plugin-incidents-common';
import { DateTime } from 'luxon';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { fromLocalInput, toLocalInput } from '../../../utils/dates';
import { DialogButtons } from '../../shared/DialogButtons';

function initialForm() {
  const start = DateTime.now().plus({ days: 1 }).startOf('hour');
  return {
    name: '',
    message: '',
    components: [] as string[],
    start: toLocalInput(start),
    end: toLocalInput(start.plus({ hours: 2 })),
  };
}

/** Schedules a maintenance window on the status page's components. */
export const MaintenanceDialog = (props: {
  open: boolean;
  components: StatusPageOverview['components'];
  onClose: () => void;
  onScheduled: () => void;
}) => {
  const { open, components, onClose, onScheduled } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [form, setForm] = useState(initialForm);
  useEffect(() => {
    if (open) setForm(initialForm());
  }, [open]);
  const scheduledFor = fromLocalInput(form.start);
  const scheduledUntil = fromLocalInput(form.end);
  const valid =
    form.name.trim() &&
    form.components.length > 0 &&
    scheduledFor &&
    scheduledUntil &&
    scheduledUntil > scheduledFor;
  const toggle = (ref: string) =>
    setForm(f => ({
      ...f,
      components: f.components.includes(ref)
        ? f.components.filter(c => c !== ref)
        : [...f.components, ref],
    }));
  const schedule = async () => {
    const ok = await run('schedule the maintenance', () =>
      api.scheduleMaintenance({
        name: form.name.trim(),
        ...(form.message.trim() ? { message: form.message.trim() } : {}),
        components: form.components,
        scheduledFor: scheduledFor!,
        scheduledUntil: scheduledUntil!,
      }),
    );
    if (ok) {
      onScheduled();
      onClose();
    }
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby="maintenance-title"
      fullWidth
    >
      <DialogTitle id="maintenance-title">Schedule maintenance</DialogTitle>
      <DialogContent>
        <TextField
          id="maintenance-name"
          label="Name (public)"
          fullWidth
          required
          margin="dense"
          value={form.name}
          onChange={e => setForm(f => ({ ...f, name: e.target.value }))}
          inputProps={{ maxLength: 300 }}
        />
        <TextField
          id="maintenance-message"
          label="What customers read"
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          value={form.message}
          onChange={e => setForm(f => ({ ...f, message: e.target.value }))}
          inputProps={{ maxLength: 5000 }}
        />
        <TextField
          id="maintenance-start"
          label="From"
          type="datetime-local"
          margin="dense"
          value={form.start}
          onChange={e => setForm(f => ({ ...f, start: e.target.value }))}
          InputLabelProps={{ shrink: true }}
        />{' '}
        <TextField
          id="maintenance-end"
          label="Until"
          type="datetime-local"
          margin="dense"
          value={form.end}
          onChange={e => setForm(f => ({ ...f, end: e.target.value }))}
          InputLabelProps={{ shrink: true }}
        />
        <FormLabel component="legend" style={{ marginTop: 16 }}>
          Components
        </FormLabel>
        <FormGroup>
          {components.map(c => (
            <FormControlLabel
              key={c.entityRef}
              control={
                <Checkbox
                  checked={form.components.includes(c.entityRef)}
                  onChange={() => toggle(c.entityRef)}
                />
              }
              label={c.name}
            />
          ))}
        </FormGroup>
      </DialogContent>
      <DialogButtons
        confirmLabel="Schedule"
        onConfirm={schedule}
        onCancel={onClose}
        busy={busy}
        disabled={!valid}
      />
    </Dialog>
  );
};
