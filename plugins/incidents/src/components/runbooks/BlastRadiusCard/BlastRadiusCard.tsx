import { InfoCard } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import NotificationsActiveIcon from '@material-ui/icons/NotificationsActive';
import {
  BlastRadius,
  BlastRadiusDependent,
  BlastRadiusRelation,
  IncidentDetail,
} from '@vigil/plugin-incidents-common';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { incidentsApiRef } from '../../../api';
import { LoadError } from '../../shared/LoadError';
import { LoadingSkeleton } from '../../shared/LoadingSkeleton';
import { useRunAction } from '../../../hooks/useRunAction';

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

const RELATION_LABELS: Record<BlastRadiusRelation, string> = {
  dependencyOf: 'depends on',
  apiConsumedBy: 'consumes',
  partOf: 'contains',
};

const DependentRow = ({ dependent }: { dependent: BlastRadiusDependent }) => (
  <ListItem disableGutters>
    <Box mr={1} flexShrink={0}>
      <Chip size="small" label={`depth ${dependent.depth}`} />
    </Box>
    <ListItemText
      style={{ minWidth: 0, whiteSpace: 'normal', overflowWrap: 'anywhere' }}
      primary={
        <EntityRefLink
          entityRef={dependent.entityRef}
          defaultKind="component"
          title={dependent.title}
        />
      }
      secondary={
        <>
          {RELATION_LABELS[dependent.relation]}{' '}
          <EntityRefLink entityRef={dependent.via} hideIcon />
        </>
      }
      secondaryTypographyProps={{ component: 'div' }}
    />
  </ListItem>
);

/** The dependents, grouped by owning team, nearest first. */
export const BlastRadiusTeams = ({ value }: { value: BlastRadius }) => {
  if (value.dependents.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing in the catalog depends on the affected components.
      </Typography>
    );
  }
  const byRef = new Map(value.dependents.map(d => [d.entityRef, d]));
  return (
    <>
      {value.teams.map(team => (
        <Box
          key={team.owner ?? 'unowned'}
          component="section"
          aria-label={team.owner ?? 'No owner'}
          mb={1}
        >
          <Typography variant="subtitle2" component="h3">
            {team.owner ? (
              <EntityRefLink entityRef={team.owner} defaultKind="group" />
            ) : (
              'No owner'
            )}{' '}
            ({team.entityRefs.length})
          </Typography>
          <List dense disablePadding>
            {team.entityRefs.map(ref => (
              <DependentRow key={ref} dependent={byRef.get(ref)!} />
            ))}
          </List>
        </Box>
      ))}
      {value.truncated && (
        <Typography variant="caption" color="textSecondary">
          More beyond depth {value.maxDepth}.
        </Typography>
      )}
    </>
  );
};

/**
 * The war room's blast radius: what depends on the affected components, by
 * owning team, with "Notify owners" for whoever may update the incident
 * (the notification is recorded on the timeline).
 */
export const BlastRadiusCard = (props: {
  incident: IncidentDetail;
  canNotify: boolean;
  onNotified?: () => void;
}) => {
  const { incident, canNotify, onNotified } = props;
  const api = useApi(incidentsApiRef);
  const alertApi = useApi(alertApiRef);
  const { run, busy } = useRunAction();
  const services = incident.affectedServices.join(',');
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getIncidentBlastRadius(incident.id),
    [api, incident.id, services],
  );
  const notify = async () => {
    const done = await run('notify the owners', async () => {
      const { notified } = await api.notifyBlastRadiusOwners(incident.id);
      alertApi.post({
        message: `Notified ${notified.length} ${
          notified.length === 1 ? 'team' : 'teams'
        }`,
        severity: 'success',
        display: 'transient',
      });
    });
    if (done) onNotified?.();
  };
  const teams = value?.teams.filter(t => t.owner).length ?? 0;
  return (
    <InfoCard
      title="Blast radius"
      subheader={
        value
          ? `${plural(value.dependents.length, 'dependent')}, ${plural(
              teams,
              'team',
            )}`
          : undefined
      }
      action={
        canNotify && teams > 0 ? (
          <Box mt={1} mr={1}>
            <Button
              size="small"
              color="primary"
              variant="outlined"
              startIcon={<NotificationsActiveIcon />}
              disabled={busy}
              onClick={notify}
            >
              Notify owners
            </Button>
          </Box>
        ) : undefined
      }
    >
      {error && (
        <LoadError
          error={error}
          title="Could not load the blast radius"
          onRetry={retry}
        />
      )}
      {loading && !value && !error && (
        <LoadingSkeleton
          variant="card"
          rows={3}
          label="Loading the blast radius"
        />
      )}
      {value && <BlastRadiusTeams value={value} />}
    </InfoCard>
  );
};
