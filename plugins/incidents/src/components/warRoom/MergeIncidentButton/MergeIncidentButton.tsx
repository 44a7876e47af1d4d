import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { Incident } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { DialogButtons } from '../../shared/DialogButtons';

/**
 * Merges a duplicate incident into another one, which becomes its parent.
 */
export const MergeIncidentButton = (props: {
  incident: Incident;
  onMerged: () => void;
}) => {
  const { incident, onMerged } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [open, setOpen] = useState(false);
  const [into, setInto] = useState('');

  const merge = async () => {
    const target = into.trim();
    if (!target) {
      return;
    }
    const ok = await run(`merge ${incident.ref} into ${target}`, () =>
      api.mergeIncident(incident.id, target),
    );
    if (ok) {
      setOpen(false);
      onMerged();
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        onClick={() => {
          setInto('');
          setOpen(true);
        }}
      >
        Merge…
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)}>
        <DialogTitle>Merge {incident.ref} as a duplicate</DialogTitle>
        <DialogContent>
          <DialogContentText>
            {incident.ref} becomes a child of the incident you name here.
          </DialogContentText>
          <TextField
            id="merge-into"
            label="Merge into"
            placeholder="INC-12"
            fullWidth
            value={into}
            onChange={e => setInto(e.target.value)}
          />
        </DialogContent>
        <DialogButtons
          confirmLabel="Merge"
          onConfirm={merge}
          onCancel={() => setOpen(false)}
          cancelLabel="Back"
          busy={busy}
          disabled={!into.trim()}
        />
      </Dialog>
    </>
  );
};
