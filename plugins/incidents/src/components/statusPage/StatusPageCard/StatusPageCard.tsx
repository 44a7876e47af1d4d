import { useState } from 'react';
import {
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  IncidentDetail,
  PublicIncidentStatus,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { statusPageRouteRef } from '../../../routes';
import { formatTimestamp } from '../../../utils/format';
import { ComponentStatusChip } from '../ComponentStatusChip';

const STATUSES: PublicIncidentStatus[] = [
  'investigating',
  'identified',
  'monitoring',
  'resolved',
];

const PublicUpdateForm = (props: {
  incidentId: string;
  status: PublicIncidentStatus;
  onPosted: () => void;
}) => {
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [message, setMessage] = useState('');
  const [status, setStatus] = useState<PublicIncidentStatus>(props.status);
  const post = async () => {
    const ok = await run('post the public update', () =>
      api.postPublicUpdate(props.incidentId, {
        message: message.trim(),
        status,
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
        id="public-update-message"
        label="Public update (customers read this)"
        fullWidth
        multiline
        minRows={2}
        value={message}
        onChange={e => setMessage(e.target.value)}
        inputProps={{ maxLength: 5000 }}
      />
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        mt={1}
      >
        <TextField
          select
          id="public-update-status"
          label="Public status"
          value={status}
          onChange={e => setStatus(e.target.value as PublicIncidentStatus)}
          style={{ minWidth: 180 }}
        >
          {STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
            </MenuItem>
          ))}
        </TextField>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !message.trim()}
          onClick={post}
        >
          Post public update
        </Button>
      </Box>
    </Box>
  );
};

/**
 * The incident on the public status page: whether it is published, its
 * public name and status, the components customers see and the public
 * updates; publish, unpublish and post for those allowed.
 */
export const StatusPageCard = (props: {
  incident: IncidentDetail;
  onChange?: () => void;
}) => {
  const { incident } = props;
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const overview = useRouteRef(statusPageRouteRef);
  const state = useAsyncRetry(
    () => api.getIncidentStatusPage(incident.id),
    [api, incident.id, incident.updatedAt],
  );
  if (state.loading && !state.value) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  const value = state.value;
  if (!value?.enabled) return null;
  const { record, mayPublish, components } = value;
  const published = Boolean(record?.published);
  const change = async (what: string, action: () => Promise<unknown>) => {
    if (await run(what, action)) {
      state.retry();
      props.onChange?.();
    }
  };
  return (
    <InfoCard title="Status page">
      <Box
        display="flex"
        alignItems="center"
        justifyContent="space-between"
        flexWrap="wrap"
      >
        <Typography variant="body1">
          {published && record ? (
            <>
              Public as <strong>{record.name}</strong>{' '}
              <ComponentStatusChip status={record.status} />
            </>
          ) : (
            'Not on the public status page'
          )}
        </Typography>
        {mayPublish && (
          <Button
            variant="outlined"
            disabled={busy || (!published && components.length === 0)}
            onClick={() =>
              change(
                published ? 'unpublish the incident' : 'publish the incident',
                () =>
                  published
                    ? api.unpublishIncident(incident.id)
                    : api.publishIncident(incident.id),
              )
            }
          >
            {published ? 'Unpublish' : 'Publish'}
          </Button>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        {components.length
          ? `Public components: ${components
              .map(c => c.split('/').pop())
              .join(', ')}`
          : 'None of its services is on the status page.'}
      </Typography>
      {published && record && (
        <List dense aria-label="Public updates">
          {[...record.updates].reverse().map(u => (
            <ListItem key={u.id} disableGutters>
              <ListItemText
                primary={u.body}
                secondary={`${u.status} · ${formatTimestamp(u.createdAt)}`}
              />
            </ListItem>
          ))}
        </List>
      )}
      {published && record && mayPublish && (
        <PublicUpdateForm
          incidentId={incident.id}
          status={record.status}
          onPosted={() => {
            state.retry();
            props.onChange?.();
          }}
        />
      )}
      <Box mt={1}>
        <Link to={overview()}>Status page overview</Link>
      </Box>
    </InfoCard>
  );
};
