import { useEffect, useState } from 'react';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import { Incident } from '@vigil/plugin-incidents-common';
import { UpdateIncidentRequest } from '../../../api';
import { DialogButtons } from '../../shared/DialogButtons';

type TextKey = 'businessImpact' | 'hypothesis' | 'confirmedCause' | 'trigger';

const TEXT_FIELDS: Array<[TextKey, string]> = [
  ['businessImpact', 'Business impact'],
  ['hypothesis', 'Hypothesis'],
  ['confirmedCause', 'Confirmed cause'],
  ['trigger', 'Trigger'],
];

function toForm(incident: Incident) {
  return {
    affectedUsers: incident.impact.affectedUsers?.toString() ?? '',
    businessImpact: incident.impact.businessImpact ?? '',
    hypothesis: incident.rootCause.hypothesis ?? '',
    confirmedCause: incident.rootCause.confirmedCause ?? '',
    trigger: incident.rootCause.trigger ?? '',
    identified: Boolean(incident.identifiedAt),
  };
}

/** Blank stays unset, but a value that was set can be cleared. */
const text = (after: string, before?: string) =>
  after.trim() || (before ? '' : undefined);

/** Edits the estimated impact and what is known about the cause. */
export const EditImpactDialog = (props: {
  open: boolean;
  incident: Incident;
  busy: boolean;
  onClose: () => void;
  onSave: (patch: UpdateIncidentRequest) => void;
}) => {
  const { open, incident, busy, onClose, onSave } = props;
  const [form, setForm] = useState(() => toForm(incident));

  useEffect(() => {
    if (open) {
      setForm(toForm(incident));
    }
  }, [open, incident]);

  const users = form.affectedUsers.trim();
  const usersInvalid = users !== '' && !/^\d+$/.test(users);

  const save = () => {
    const { impact, rootCause } = incident;
    onSave({
      impact: {
        affectedUsers: users ? Number(users) : undefined,
        businessImpact: text(form.businessImpact, impact.businessImpact),
      },
      rootCause: {
        hypothesis: text(form.hypothesis, rootCause.hypothesis),
        confirmedCause: text(form.confirmedCause, rootCause.confirmedCause),
        trigger: text(form.trigger, rootCause.trigger),
      },
      // The backend timestamps identification once; never send it twice.
      identified: form.identified && !incident.identifiedAt ? true : undefined,
    });
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Edit impact and root cause</DialogTitle>
      <DialogContent>
        <TextField
          id="impact-affectedUsers"
          label="Affected users"
          type="number"
          fullWidth
          margin="normal"
          value={form.affectedUsers}
          onChange={e =>
            setForm(f => ({ ...f, affectedUsers: e.target.value }))
          }
          error={usersInvalid}
          helperText={usersInvalid ? 'A whole number' : 'Estimate'}
          inputProps={{ min: 0 }}
        />
        {TEXT_FIELDS.map(([field, label]) => (
          <TextField
            key={field}
            id={`impact-${field}`}
            label={label}
            fullWidth
            multiline
            margin="normal"
            value={form[field]}
            onChange={e => setForm(f => ({ ...f, [field]: e.target.value }))}
            inputProps={{ maxLength: 5000 }}
          />
        ))}
        <FormControlLabel
          control={
            <Checkbox
              checked={form.identified}
              disabled={Boolean(incident.identifiedAt)}
              onChange={e =>
                setForm(f => ({ ...f, identified: e.target.checked }))
              }
            />
          }
          label="Root cause identified"
        />
      </DialogContent>
      <DialogButtons
        confirmLabel="Save"
        onConfirm={save}
        onCancel={onClose}
        busy={busy}
        disabled={usersInvalid}
      />
    </Dialog>
  );
};
