import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  Incident,
  Severity,
  SEVERITIES,
  SEVERITY_TABLE,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useIncidentLink, useRunAction } from '../../../hooks';
import { splitList, toUserRef } from '../../../utils/refs';
import { ServicePicker } from '../ServicePicker';
import { UserPicker } from '../../shared/UserPicker';
import { DialogButtons } from '../../shared/DialogButtons';

/**
 * Props of {@link NewIncidentDialog}.
 * @public
 */
export interface NewIncidentDialogProps {
  open: boolean;
  onClose: () => void;
  /** Entity refs to prefill as affected services. */
  initialServices?: string[];
  /** Called with the new incident; by default its page opens. */
  onCreated?: (incident: Incident) => void;
}

interface FormState {
  title: string;
  severity: Severity;
  description: string;
  services: string[];
  environments: string;
  commander: string;
}

const emptyForm = (services: string[] = []): FormState => ({
  title: '',
  severity: 'sev3',
  description: '',
  services,
  environments: '',
  commander: '',
});

function commanderError(input: string): string | undefined {
  try {
    toUserRef(input);
    return undefined;
  } catch {
    return 'Not a user reference, e.g. user:default/alice';
  }
}

/**
 * The form for opening an incident.
 * @public
 */
export const NewIncidentDialog = (props: NewIncidentDialogProps) => {
  const { open, onClose, initialServices, onCreated } = props;
  const api = useApi(incidentsApiRef);
  const navigate = useNavigate();
  const linkTo = useIncidentLink();
  const { run, busy } = useRunAction();
  const [form, setForm] = useState(() => emptyForm(initialServices));
  const [submitted, setSubmitted] = useState(false);

  // Start from a clean, freshly prefilled form every time it opens.
  const prefill = JSON.stringify(initialServices ?? []);
  useEffect(() => {
    if (open) {
      setForm(emptyForm(JSON.parse(prefill)));
      setSubmitted(false);
    }
  }, [open, prefill]);

  const set = (change: Partial<FormState>) =>
    setForm(previous => ({ ...previous, ...change }));

  const titleError = submitted && !form.title.trim();
  const commanderProblem = commanderError(form.commander);

  const submit = async () => {
    setSubmitted(true);
    if (!form.title.trim() || commanderProblem) {
      return;
    }
    let incident: Incident | undefined;
    const ok = await run('open the incident', async () => {
      incident = await api.openIncident({
        title: form.title.trim(),
        severity: form.severity,
        description: form.description.trim() || undefined,
        affectedServices: form.services,
        environments: splitList(form.environments),
        commander: toUserRef(form.commander),
      });
    });
    if (!ok || !incident) {
      return;
    }
    onClose();
    if (onCreated) {
      onCreated(incident);
    } else {
      const to = linkTo(incident.ref);
      if (to) {
        navigate(to);
      }
    }
  };

  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="new-incident-dialog-title"
    >
      <DialogTitle id="new-incident-dialog-title">New incident</DialogTitle>
      <DialogContent>
        <TextField
          id="new-incident-title"
          label="Title"
          // Typing starts at once (the dialog also opens on `n`).
          autoFocus
          required
          fullWidth
          margin="normal"
          value={form.title}
          onChange={e => set({ title: e.target.value })}
          error={titleError}
          helperText={titleError ? 'A title is required' : undefined}
          inputProps={{ maxLength: 300 }}
        />
        <TextField
          select
          id="new-incident-severity"
          label="Severity"
          fullWidth
          margin="normal"
          value={form.severity}
          onChange={e => set({ severity: e.target.value as Severity })}
          SelectProps={{ native: true }}
          helperText={SEVERITY_TABLE[form.severity].description}
        >
          {SEVERITIES.map(s => (
            <option key={s} value={s}>
              {SEVERITY_TABLE[s].label}
            </option>
          ))}
        </TextField>
        <TextField
          id="new-incident-description"
          label="Description"
          fullWidth
          multiline
          minRows={3}
          margin="normal"
          value={form.description}
          onChange={e => set({ description: e.target.value })}
        />
        <ServicePicker
          value={form.services}
          onChange={services => set({ services })}
        />
        <TextField
          id="new-incident-environments"
          label="Environments"
          fullWidth
          margin="normal"
          placeholder="production, eu-west"
          helperText="Comma separated"
          value={form.environments}
          onChange={e => set({ environments: e.target.value })}
        />
        <UserPicker
          name="new-incident-commander"
          label="Commander"
          value={form.commander || undefined}
          onChange={ref => set({ commander: ref ?? '' })}
          helperText="Optional: who leads"
        />
      </DialogContent>
      <DialogButtons
        confirmLabel="Open incident"
        onConfirm={submit}
        onCancel={onClose}
        busy={busy}
      />
    </Dialog>
  );
};
