import { Link } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import WarningIcon from '@material-ui/icons/Warning';
import { useActiveIncidents, useIncidentLink } from '../../../hooks';
import { STATUS_COLORS } from '../../../utils/chipColors';
import { STATUS_LABELS } from '../../../utils/lifecycle';
import { SeverityChip } from '../../incidents/SeverityChip';
import { RefText } from '../../shared/RefText';

const useStyles = makeStyles(theme => ({
  banner: {
    display: 'flex',
    alignItems: 'flex-start',
    gap: theme.spacing(2),
    padding: theme.spacing(2),
    borderLeft: `6px solid ${STATUS_COLORS.open.background}`,
  },
  icon: { color: STATUS_COLORS.open.background, marginTop: 2 },
}));

/**
 * A banner for a component's page while it has active incidents: the most
 * severe ones with their state and a link to each war room. Renders
 * nothing when the component is fine (or the list fails: the incidents card
 * below says so).
 * @public
 */
export const EntityActiveIncidentBanner = () => {
  const { entity } = useEntity();
  const classes = useStyles();
  const linkTo = useIncidentLink();
  const { value } = useActiveIncidents({
    entityRef: stringifyEntityRef(entity),
    limit: 3,
  });
  if (!value?.items.length) {
    return null;
  }
  const name = entity.metadata.title ?? entity.metadata.name;
  const more = value.totalCount - value.items.length;
  return (
    <Paper className={classes.banner} role="status">
      <WarningIcon className={classes.icon} />
      <Box>
        <Typography variant="h6" component="h2">
          {value.totalCount === 1
            ? `${name} has an active incident`
            : `${name} has ${value.totalCount} active incidents`}
        </Typography>
        {value.items.map(incident => (
          <Box
            key={incident.id}
            display="flex"
            alignItems="center"
            mt={1}
            style={{ gap: 8 }}
          >
            <SeverityChip severity={incident.severity} />
            <Link to={linkTo(incident.ref) ?? ''}>
              {incident.ref}: <RefText text={incident.title} />
            </Link>
            <Typography variant="body2" component="span">
              {STATUS_LABELS[incident.status]}
            </Typography>
          </Box>
        ))}
        {more > 0 && <Typography variant="body2">and {more} more</Typography>}
      </Box>
    </Paper>
  );
};
