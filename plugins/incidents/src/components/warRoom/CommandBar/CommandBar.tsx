import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import { makeStyles } from '@material-ui/core/styles';
import { Incident, isActiveStatus } from '@vigil/plugin-incidents-common';
import { incidentsApiRef } from '../../../api';
import { IncidentPermissions, useRunAction } from '../../../hooks';
import { IncidentStatusChip } from '../../incidents/IncidentStatusChip';
import { SeverityChip } from '../../incidents/SeverityChip';
import { IncidentStatusActions } from '../IncidentStatusActions';
import { MergeIncidentButton } from '../MergeIncidentButton';
import { AcknowledgeInline } from './AcknowledgeInline';
import { ElapsedTimer } from './ElapsedTimer';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    padding: theme.spacing(1.5, 2),
    marginBottom: theme.spacing(3),
  },
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginLeft: 'auto',
  },
}));

/**
 * The war room's command bar: severity and state chips, a ticking clock,
 * and what the user can do now: Acknowledge in one click, Take command,
 * the other lifecycle moves and merging.
 */
export const CommandBar = (props: {
  incident: Incident;
  permissions: IncidentPermissions;
  /** The signed-in user, who takes command. */
  userRef?: string;
  /** After a change; with the changed incident when it succeeded. */
  onChange: (incident?: Incident) => void;
}) => {
  const { incident, permissions, userRef, onChange } = props;
  const classes = useStyles();
  const api = useApi(incidentsApiRef);
  const { run, busy } = useRunAction();
  const active = isActiveStatus(incident.status);
  const commander = incident.roles.commander ?? incident.commander;
  const canAck = incident.status === 'open' && permissions.acknowledge;
  const canTake =
    active && permissions.update && !!userRef && commander !== userRef;

  const takeCommand = async () => {
    let changed: Incident | undefined;
    await run(`take command of ${incident.ref}`, async () => {
      changed = await api.updateIncident(incident.id, {
        roles: { commander: userRef },
      });
    });
    onChange(changed);
  };

  return (
    <Paper
      className={classes.bar}
      component="section"
      aria-label="Incident command bar"
    >
      <SeverityChip severity={incident.severity} />
      <IncidentStatusChip status={incident.status} />
      <ElapsedTimer incident={incident} />
      <Box className={classes.actions}>
        {canAck && <AcknowledgeInline incident={incident} onMoved={onChange} />}
        {canTake && (
          <Button
            variant="outlined"
            color="primary"
            disabled={busy}
            onClick={takeCommand}
          >
            Take command
          </Button>
        )}
        <IncidentStatusActions
          incident={incident}
          permissions={permissions}
          onMoved={() => onChange()}
          exclude={['investigating']}
        />
        {active && permissions.update && !incident.parentId && (
          <MergeIncidentButton incident={incident} onMerged={onChange} />
        )}
      </Box>
    </Paper>
  );
};
