import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import { Incident } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction, useShortcut } from '../../../hooks';

/**
 * One-click Acknowledge with an optional message typed beside it, no
 * dialog. Reports the acknowledged incident (the user is now its
 * responder) so the page can show it before reloading.
 */
export const AcknowledgeInline = (props: {
  incident: Incident;
  onMoved: (incident?: Incident) => void;
}) => {
  const { incident, onMoved } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [message, setMessage] = useState('');

  const acknowledge = async () => {
    let moved: Incident | undefined;
    await run(`acknowledge ${incident.ref}`, async () => {
      moved = await api.moveIncident(
        incident.id,
        'investigating',
        message.trim() || undefined,
        'portal',
      );
    });
    // A 409 means someone else acknowledged first: reload either way.
    onMoved(moved);
  };
  // Shown only to those who may acknowledge an open incident.
  useShortcut('a', () => {
    if (!busy) {
      acknowledge();
    }
  });

  return (
    <Box display="flex" alignItems="center" style={{ gap: 8 }}>
      <TextField
        id="acknowledge-message"
        size="small"
        variant="outlined"
        label="Message (optional)"
        value={message}
        onChange={e => setMessage(e.target.value)}
        onKeyDown={e => {
          if (e.key === 'Enter') {
            acknowledge();
          }
        }}
        inputProps={{ maxLength: 5000 }}
      />
      <Button
        variant="contained"
        color="primary"
        disabled={busy}
        onClick={acknowledge}
        aria-keyshortcuts="a"
      >
        Acknowledge
      </Button>
    </Box>
  );
};
