import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  allowedMoves,
  Incident,
  IncidentStatus,
} from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import {
  IncidentPermissions,
  usePostmortemLink,
  useRunAction,
} from '../../../hooks';
import { MOVE_LABELS, MOVE_PERMISSIONS } from '../../../utils/lifecycle';
import { DialogButtons } from '../../shared/DialogButtons';

/**
 * Buttons for the lifecycle moves that are both allowed from the current
 * status and permitted to the user; each asks for an optional message.
 */
export const IncidentStatusActions = (props: {
  incident: Incident;
  permissions: IncidentPermissions;
  /** Called after a move attempt, successful or not, to reload. */
  onMoved: () => void;
  /** Moves offered elsewhere, e.g. the command bar's inline Acknowledge. */
  exclude?: IncidentStatus[];
}) => {
  const { incident, permissions, onMoved, exclude = [] } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [target, setTarget] = useState<IncidentStatus>();
  const [message, setMessage] = useState('');
  const navigate = useNavigate();
  const postmortemLink = usePostmortemLink();

  const moves = allowedMoves(incident.status).filter(
    status =>
      permissions[MOVE_PERMISSIONS[status]] && !exclude.includes(status),
  );
  if (!moves.length) {
    return null;
  }

  const open = (status: IncidentStatus) => {
    setMessage('');
    setTarget(status);
  };

  const confirm = async () => {
    if (!target) {
      return;
    }
    const label = MOVE_LABELS[target];
    const ok = await run(
      `${label.toLocaleLowerCase('en-US')} ${incident.ref}`,
      () =>
        api.moveIncident(
          incident.id,
          target,
          message.trim() || undefined,
          'portal',
        ),
    );
    setTarget(undefined);
    // The move starts the postmortem from its template: go and write it.
    const editor = postmortemLink(incident.ref);
    if (ok && target === 'postmortem' && editor) {
      navigate(editor);
      return;
    }
    // A 409 means someone else moved it first: reload either way.
    onMoved();
  };

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {moves.map((status, index) => (
        <Button
          key={status}
          variant={index === 0 ? 'contained' : 'outlined'}
          color={status === 'cancelled' ? 'secondary' : 'primary'}
          onClick={() => open(status)}
        >
          {MOVE_LABELS[status]}
        </Button>
      ))}
      <Dialog
        open={Boolean(target)}
        onClose={() => setTarget(undefined)}
        fullWidth
        maxWidth="sm"
        aria-labelledby="move-dialog-title"
      >
        <DialogTitle id="move-dialog-title">
          {target && `${MOVE_LABELS[target]} ${incident.ref}`}
        </DialogTitle>
        <DialogContent>
          <TextField
            id="move-message"
            label="Message (optional)"
            fullWidth
            multiline
            minRows={2}
            value={message}
            onChange={e => setMessage(e.target.value)}
            inputProps={{ maxLength: 5000 }}
          />
        </DialogContent>
        <DialogButtons
          confirmLabel={target && MOVE_LABELS[target]}
          onConfirm={confirm}
          onCancel={() => setTarget(undefined)}
          cancelLabel="Back"
          busy={busy}
        />
      </Dialog>
    </Box>
  );
};
