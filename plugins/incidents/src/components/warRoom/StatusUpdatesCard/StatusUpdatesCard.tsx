import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { IncidentDetail, StatusUpdate } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';

type Visibility = StatusUpdate['visibility'];

const UpdateForm = (props: { incidentId: string; onPosted: () => void }) => {
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [message, setMessage] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('internal');

  const post = async () => {
    const ok = await run('post the status update', () =>
      api.addStatusUpdate(props.incidentId, {
        message: message.trim(),
        visibility,
      }),
    );
    if (ok) {
      setMessage('');
      props.onPosted();
    }
  };

  return (
    <Box mt={2}>
      <TextField
        id="status-update-message"
        label="Status update"
        fullWidth
        multiline
        minRows={2}
        value={message}
        onChange={e => setMessage(e.target.value)}
        inputProps={{ maxLength: 5000 }}
      />
      <Box display="flex" alignItems="center" justifyContent="space-between">
        <RadioGroup
          row
          aria-label="Visibility"
          value={visibility}
          onChange={e => setVisibility(e.target.value as Visibility)}
        >
          <FormControlLabel
            value="internal"
            control={<Radio />}
            label="Internal"
          />
          <FormControlLabel
            value="external"
            control={<Radio />}
            label="External (status page)"
          />
        </RadioGroup>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !message.trim()}
          onClick={post}
        >
          Post update
        </Button>
      </Box>
    </Box>
  );
};

/**
 * Internal and external (status page) updates, newest first, and a form to
 * post one.
 */
export const StatusUpdatesCard = (props: {
  incident: IncidentDetail;
  canPost: boolean;
  onChange: () => void;
}) => {
  const { incident, canPost, onChange } = props;
  const updates = [...incident.statusUpdates].sort((a, b) =>
    b.createdAt.localeCompare(a.createdAt),
  );
  return (
    <InfoCard title="Status updates">
      {updates.length ? (
        <List dense disablePadding>
          {updates.map(update => (
            <ListItem key={update.id} disableGutters>
              <ListItemText
                primary={update.message}
                secondary={`${update.author} · ${formatTimestamp(
                  update.createdAt,
                )}`}
              />
              <Chip
                size="small"
                label={
                  update.visibility === 'external' ? 'External' : 'Internal'
                }
                color={update.visibility === 'external' ? 'primary' : 'default'}
              />
            </ListItem>
          ))}
        </List>
      ) : (
        <Typography color="textSecondary">No status updates yet.</Typography>
      )}
      {canPost && <UpdateForm incidentId={incident.id} onPosted={onChange} />}
    </InfoCard>
  );
};
