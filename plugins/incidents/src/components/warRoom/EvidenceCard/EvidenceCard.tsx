import { useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { IncidentDetail } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { useRunAction } from '../../../hooks';
import { formatTimestamp } from '../../../utils/format';
import { ExternalLink } from '../../shared/ExternalLink';

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const EvidenceForm = (props: { incidentId: string; onAdded: () => void }) => {
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const invalid = url.trim() !== '' && !isHttpUrl(url.trim());

  const add = async () => {
    const ok = await run('add the evidence', () =>
      api.addEvidence(props.incidentId, {
        url: url.trim(),
        title: title.trim() || undefined,
      }),
    );
    if (ok) {
      setUrl('');
      setTitle('');
      props.onAdded();
    }
  };

  return (
    <Box mt={2} display="flex" alignItems="flex-start" style={{ gap: 8 }}>
      <TextField
        id="evidence-url"
        label="URL"
        placeholder="https://grafana/…"
        fullWidth
        value={url}
        onChange={e => setUrl(e.target.value)}
        error={invalid}
        helperText={invalid ? 'An http(s) address' : undefined}
      />
      <TextField
        id="evidence-title"
        label="Title"
        fullWidth
        value={title}
        onChange={e => setTitle(e.target.value)}
      />
      <Button
        color="primary"
        variant="contained"
        disabled={busy || !url.trim() || invalid}
        onClick={add}
        style={{ flexShrink: 0 }}
      >
        Add link
      </Button>
    </Box>
  );
};

/**
 * Links to dashboards, log queries and threads, and a form to add one.
 */
export const EvidenceCard = (props: {
  incident: IncidentDetail;
  canAdd: boolean;
  onChange: () => void;
}) => {
  const { incident, canAdd, onChange } = props;
  return (
    <InfoCard title="Evidence">
      {incident.evidence.length ? (
        <List dense disablePadding>
          {incident.evidence.map(evidence => (
            <ListItem key={evidence.id} disableGutters>
              <ListItemText
                primary={
                  <ExternalLink url={evidence.url}>
                    {evidence.title ?? evidence.url}
                  </ExternalLink>
                }
                secondary={`${evidence.addedBy} · ${formatTimestamp(
                  evidence.createdAt,
                )}`}
              />
            </ListItem>
          ))}
        </List>
      ) : (
        <Typography color="textSecondary">No evidence linked yet.</Typography>
      )}
      {canAdd && <EvidenceForm incidentId={incident.id} onAdded={onChange} />}
    </InfoCard>
  );
};
